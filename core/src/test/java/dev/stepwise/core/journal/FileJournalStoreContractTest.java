package dev.stepwise.core.journal;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The journal store contract over the file store. */
class FileJournalStoreContractTest extends JournalStoreContract {
    @TempDir
    Path dir;

    @Override
    protected JournalStore store() {
        return JournalStore.directory(dir);
    }
}

package dev.stepwise.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void toString_whenRowsAreWiderThanHeaders_padsColumnsAndMarksRightAlignment() {
        String md = MarkdownTable.of("N", "Tool").rightAligned(0).row("1000", "hand-written").row("5", "a|b").toString();

        assertThat(md).isEqualTo("""
                |    N | Tool         |
                | ---: | ------------ |
                | 1000 | hand-written |
                |    5 | a\\|b         |
                """);
    }

    @Test
    void row_whenCellCountDiffers_namesBothCounts() {
        assertThatThrownBy(() -> MarkdownTable.of("a", "b").row("1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row has 1 cells, but the table has 2 columns");
    }
}

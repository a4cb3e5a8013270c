/** Short, complete recipes, one capability each; every one is run by RecipesIT so none can rot. */
package dev.stepwise.examples.recipes;

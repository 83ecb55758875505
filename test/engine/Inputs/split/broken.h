/* A compile error in every file that includes it (split-driver.test): the
   files are still analysed, and each says its error once. */
#ifdef SPLIT_BROKEN
static int SplitBroken = undeclared_identifier;
#endif

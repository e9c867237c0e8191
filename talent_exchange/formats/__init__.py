"""Date and number formats where Django's own are not the ones our readers expect
(``FORMAT_MODULE_PATH``). Django's ``fr`` formats are France's (31/01/2024, 13:40); the French
of this product is Canada's, so ``fr`` takes Django's ``fr_CA`` formats (2024-01-31,
13 h 40, 1 234,5). ``en`` (the United States) and ``en-ca`` are Django's own."""

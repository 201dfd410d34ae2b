/* keeps ap_test_support non-empty */
int ap_test_support_unused;

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the roxpool test modules. */
#ifndef RP_TEST_H
#define RP_TEST_H
int rp_test_provided(int x);
#endif

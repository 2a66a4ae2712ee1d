/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The workloads are written against the KVM selftest library of Linux
 * 7.3.  This header gives them the same interface on the library of
 * Linux 6.12, so one source builds against either.  Include it after the
 * library's own headers (kvm_util.h, processor.h).
 *
 * What 6.12's library names differently:
 *  - a guest virtual/physical address is vm_vaddr_t/vm_paddr_t, where
 *    7.3 has gva_t/gpa_t;
 *  - an exception handler gets a struct ex_regs, where 7.3 passes a
 *    struct pt_regs (the fields have the same names, in another order);
 *  - vcpu_get_reg() stores the register through a pointer, where 7.3's
 *    returns its value.
 *
 * 7.3's kvm_util_types.h defines INVALID_GPA next to gva_t and gpa_t;
 * 6.12's library defines no INVALID_GPA.
 */
#ifndef WORKLOAD_KVM_COMPAT_H
#define WORKLOAD_KVM_COMPAT_H

#include "kvm_util.h"
#include "processor.h"

#ifndef INVALID_GPA

typedef vm_vaddr_t gva_t;
typedef vm_paddr_t gpa_t;

#define pt_regs ex_regs

static inline uint64_t kvm_compat_vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id)
{
	uint64_t val;

	TEST_ASSERT(KVM_REG_SIZE(id) <= sizeof(val), "Reg %lx too big", id);

	vcpu_get_reg(vcpu, id, &val);
	return val;
}

#define vcpu_get_reg(vcpu, id)	kvm_compat_vcpu_get_reg(vcpu, id)

#endif /* !INVALID_GPA */

#endif /* WORKLOAD_KVM_COMPAT_H */

import fc from 'fast-check';

// Under mutation testing a failing property only has to fail: shrinking its counterexample to
// the smallest one (thousands of runs) would make every killed mutant of the pricing cost minutes.
fc.configureGlobal({ endOnFailure: true });

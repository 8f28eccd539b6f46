/** Metadata key for the roles a route needs (empty: any signed-in user). */
export const REQUIRED_ROLES = 'mfm:required-roles';

/** Metadata key of routes an employee may use before a second factor (to enrol one). */
export const WITHOUT_EMPLOYEE_MFA = 'mfm:without-employee-mfa';

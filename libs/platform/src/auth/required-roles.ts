/** Metadata key for the roles a route needs (empty: any signed-in user). */
export const REQUIRED_ROLES = 'mfm:required-roles';

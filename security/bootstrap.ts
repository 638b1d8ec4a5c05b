/**
 * First start: with no users at all, create `admin`. The password comes from
 * IMS_ADMIN_PASSWORD, or is generated and printed once through `log`; there is never a
 * built-in default. An existing store is left alone, so changing IMS_ADMIN_PASSWORD later
 * does not reset anything (change the password with PATCH /api/users/admin).
 */
import { IdentityConflict, type IdentityStore } from './identity/port';
import { generatePassword, hashPassword } from './secrets';

export const BOOTSTRAP_ADMIN = 'admin';

export type BootstrapOutcome = 'existing-users' | 'created-with-configured-password' | 'created-with-generated-password';

export async function bootstrapAdmin(
  identity: IdentityStore,
  adminPassword: string | undefined,
  log: (message: string) => void,
  now: Date,
): Promise<BootstrapOutcome> {
  if ((await identity.countUsers()) > 0) return 'existing-users';
  const password = adminPassword ?? generatePassword();
  try {
    await identity.createUser({
      username: BOOTSTRAP_ADMIN, role: 'admin', locations: [], passwordHash: await hashPassword(password),
      disabled: false, createdAt: now.toISOString(),
    });
  } catch (e) {
    // Another process sharing the store bootstrapped first: its admin stands.
    if (e instanceof IdentityConflict) return 'existing-users';
    throw e;
  }
  if (adminPassword !== undefined) {
    if (adminPassword.length < 12) log('security: IMS_ADMIN_PASSWORD is shorter than 12 characters; change it soon');
    log(`security: created user "${BOOTSTRAP_ADMIN}" with the password from IMS_ADMIN_PASSWORD`);
    return 'created-with-configured-password';
  }
  log(
    `security: created user "${BOOTSTRAP_ADMIN}" with the generated password ${password}\n` +
      'security: it is shown only this once; store it or change it with PATCH /api/users/admin',
  );
  return 'created-with-generated-password';
}

import { useSession } from '../../app/session.js';

/**
 * The owner a list narrows to when none is asked for: a CSM's or manager's own email (the API lists their runs
 * and emails one owner or account at a time); undefined for roles that see every account.
 */
export function useDefaultOwner(): string | undefined {
  const session = useSession();
  const role = session?.user.role;
  return role === 'csm' || role === 'manager' ? session?.user.email : undefined;
}

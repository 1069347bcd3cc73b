import type { CSSProperties } from 'react';
import { SearchPicker } from '../../app/pickers';

/** Active staff by name (optionally holding a role): owners and escalation targets. */
export function AssigneePicker(props: { value?: string | null; onChange?: (id: string | undefined) => void; role?: string; testId?: string; style?: CSSProperties }) {
  const { role, ...rest } = props;
  return (
    <SearchPicker
      endpoint="/api/tracking/assignees"
      filters={role ? { role } : {}}
      toOption={(u: { id: string; username: string; displayName: string }) => ({ value: u.id, code: u.username, name: u.displayName })}
      {...rest}
    />
  );
}

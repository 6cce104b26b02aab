/**
 * Where an officer starts a register event: on a person's page, on a household's page, and "register a
 * person without hukou" on the search page. Only a session with `register.command` sees them.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space } from 'antd';
import { useState } from 'react';
import { fetchHousehold, registerKeys, type HouseholdView, type RegisterPerson } from '../../../api/register';
import { ErrorState } from '../../../app/states';
import { useOfficer } from '../../accounts/session';
import type { CommandType } from './api';
import { CommandDrawer } from './CommandDrawer';
import { HOUSEHOLD_COMMANDS, PERSON_COMMANDS, type CommandContext } from './forms';
import { useT } from './texts';

function useMayCommand(): boolean {
  return useOfficer().permissions.includes('register.command');
}

function ActionCard({
  title,
  types,
  ctx,
  isLoading,
}: {
  readonly title: string;
  readonly types: readonly CommandType[];
  readonly ctx: CommandContext;
  readonly isLoading?: boolean;
}) {
  const t = useT();
  const [open, setOpen] = useState<CommandType | undefined>();
  return (
    <Card title={<h2 className="card-title">{title}</h2>} data-testid="command-actions">
      <Space wrap>
        {types.map((type) => (
          <Button key={type} loading={isLoading ?? false} onClick={() => setOpen(type)}>
            {t(`commands.${type}`)}
          </Button>
        ))}
      </Space>
      <CommandDrawer type={open} ctx={ctx} onClose={() => setOpen(undefined)} />
    </Card>
  );
}

/** A person's events; their household (for a successor head, the relationship) comes by its number. */
export function PersonCommands({
  person,
  householdNumber,
}: {
  readonly person: RegisterPerson;
  readonly householdNumber: string | null | undefined;
}) {
  const t = useT();
  const may = useMayCommand();
  const number = householdNumber ?? '';
  const household = useQuery({
    queryKey: registerKeys.household(number, 'today'),
    queryFn: ({ signal }) => fetchHousehold(number, undefined, signal),
    enabled: may && number !== '',
  });
  if (!may) return null;
  if (household.isError)
    return <ErrorState error={household.error} onRetry={() => void household.refetch()} />;
  const isLoading = householdNumber === undefined || (number !== '' && household.isPending);
  return (
    <ActionCard
      title={t('personActions')}
      // Without a household there is no relationship to change.
      types={number ? PERSON_COMMANDS : PERSON_COMMANDS.filter((x) => x !== 'relationship-change')}
      ctx={{ person, ...(household.data ? { household: household.data } : {}) }}
      isLoading={isLoading}
    />
  );
}

export function HouseholdCommands({ view }: { readonly view: HouseholdView }) {
  const t = useT();
  if (!useMayCommand()) return null;
  return <ActionCard title={t('householdActions')} types={HOUSEHOLD_COMMANDS} ctx={{ household: view }} />;
}

export function NoHukouCommand() {
  const t = useT();
  const [open, setOpen] = useState(false);
  if (!useMayCommand()) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="no-hukou">
        {t('noHukou')}
      </Button>
      <CommandDrawer
        type={open ? 'no-hukou-registration' : undefined}
        ctx={{}}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

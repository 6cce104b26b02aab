/**
 * One mover's declaration, inside the `movers` Form.List: names are relative to the list item (an
 * absolute path inside Form.List made antd write each field into another item, blanking the others).
 * Sex and date of birth are prefilled from the citizen id (ApplyPage's onValuesChange) and checked
 * against it; birthplace and ethnicity are chosen or declared 不详; education, marital status and
 * occupation are optional and never defaulted.
 */
import { Form, Input, Radio } from 'antd';
import { formatMessage } from '../../../../../src/errors/codes';
import {
  findForbiddenNameCharacter,
  nameCharacterIssueParams,
} from '../../../../../src/standards/person-name';
import { useLang } from '../../../app/lang';
import { CodePicker } from '../../../components/CodePicker';
import { DivisionPicker } from '../../../components/DivisionPicker';
import { useT } from '../texts';
import { citizenIdProblem, fromCitizenId } from './model';

export function MoverFields({
  name,
  isPermit = false,
}: {
  /** The Form.List item's name (its index). */
  readonly name: number;
  /** A residence permit asks the applicant's sex, birth date and ethnicity only. */
  readonly isPermit?: boolean;
}) {
  const t = useT();
  const [lang] = useLang();
  const idPath = ['movers', name, 'citizenId'];
  const matchesId =
    (part: 'sex' | 'birthDate') =>
    ({ getFieldValue }: { getFieldValue: (p: (string | number)[]) => unknown }) => ({
      validator: async (_: unknown, value: unknown) => {
        const derived = fromCitizenId(getFieldValue(idPath) as string | undefined);
        if (!value) throw new Error(t('required'));
        if (derived && derived[part] !== value)
          throw new Error(part === 'sex' ? t('sexMismatch') : t('birthMismatch'));
      },
    });
  return (
    <>
      <Form.Item
        name={[name, 'name']}
        label={t('name')}
        rules={[
          { required: true, whitespace: true, message: t('required') },
          {
            // The API's person-name rule (standards/person-name.ts), with the API's message.
            validator: async (_: unknown, v: unknown) => {
              const found = typeof v === 'string' ? findForbiddenNameCharacter(v) : undefined;
              if (found)
                throw new Error(formatMessage('HUJI_NAME_CHARACTER', lang, nameCharacterIssueParams(found)));
            },
          },
        ]}
      >
        <Input maxLength={50} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name={[name, 'citizenId']}
        label={t('citizenId')}
        rules={[
          { required: true, message: t('required') },
          {
            validator: async (_: unknown, v: unknown) => {
              const problem =
                typeof v === 'string' && v.trim() !== '' ? citizenIdProblem(v, lang) : undefined;
              if (problem) throw new Error(problem);
            },
          },
        ]}
      >
        <Input maxLength={18} autoComplete="off" inputMode="text" />
      </Form.Item>
      <Form.Item name={[name, 'sex']} label={t('sex')} dependencies={[idPath]} rules={[matchesId('sex')]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            { value: '1', label: t('male') },
            { value: '2', label: t('female') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name={[name, 'birthDate']}
        label={t('birthDate')}
        dependencies={[idPath]}
        rules={[matchesId('birthDate')]}
        extra={t('fromIdHint')}
      >
        <Input type="date" style={{ maxWidth: 220 }} />
      </Form.Item>
      {isPermit ? null : (
        <Form.Item
          name={[name, 'relationship']}
          label={t('relationship')}
          rules={[{ required: true, message: t('required') }]}
        >
          <CodePicker table="relationship" />
        </Form.Item>
      )}
      {isPermit ? null : (
        <Form.Item
          name={[name, 'birthplace']}
          label={t('birthplace')}
          rules={[
            {
              validator: async (_: unknown, v: unknown) => {
                if (v === undefined || v === '') throw new Error(t('chooseOrUnknown'));
              },
            },
          ]}
        >
          <DivisionPicker allowUnknown aria-label={t('birthplace')} />
        </Form.Item>
      )}
      <Form.Item
        name={[name, 'ethnicity']}
        label={t('ethnicity')}
        rules={[
          {
            validator: async (_: unknown, v: unknown) => {
              if (v === undefined || v === '')
                throw new Error(isPermit ? t('required') : t('chooseOrUnknown'));
            },
          },
        ]}
      >
        <CodePicker table="ethnicity" allowUnknown={!isPermit} aria-label={t('ethnicity')} />
      </Form.Item>
      {isPermit ? null : (
        <>
          <Form.Item name={[name, 'education']} label={t('education')}>
            <CodePicker table="education" allowClear aria-label={t('education')} />
          </Form.Item>
          <Form.Item name={[name, 'maritalStatus']} label={t('maritalStatus')}>
            <CodePicker table="marital-status" allowClear aria-label={t('maritalStatus')} />
          </Form.Item>
          <Form.Item name={[name, 'occupation']} label={t('occupation')}>
            <Input maxLength={50} />
          </Form.Item>
        </>
      )}
    </>
  );
}

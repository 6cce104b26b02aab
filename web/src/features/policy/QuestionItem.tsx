/**
 * One question of the self-check (and of the application's questions step): a fact as a form control, in
 * the fact's own words, hidden while its gate says it does not apply.
 */
import { Form, Input, InputNumber, Radio, Select } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FactDefinition } from '../../../../src/policy/facts';
import { useLocalText } from '../../app/lang';
import { isVisible, type Question } from './questions';

/** One fact as a form control: yes / no, a choice of its labelled values, or a number with its unit. */
export function FactInput({ def, id, ...rest }: { readonly def: FactDefinition; readonly id?: string }) {
  const { t } = useTranslation();
  const text = useLocalText();
  if (def.type === 'boolean') {
    return (
      <Radio.Group
        id={id}
        {...rest}
        options={[
          { value: true, label: t('selfCheck.yes') },
          { value: false, label: t('selfCheck.no') },
        ]}
      />
    );
  }
  if (def.type === 'enum') {
    const options = (def.options ?? []).map((o) => ({ value: o, label: text(def.values?.[o]) || o }));
    if (options.length <= 6) {
      return (
        <Radio.Group
          id={id}
          {...rest}
          options={options}
          style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
        />
      );
    }
    return <Select id={id} {...rest} options={options} />;
  }
  if (def.type === 'number') {
    return (
      <InputNumber
        id={id}
        {...rest}
        min={0}
        style={{ width: 200, maxWidth: '100%' }}
        {...(def.unit ? { suffix: text(def.unit) } : {})}
      />
    );
  }
  return <Input id={id} {...rest} />;
}

export function QuestionItem({
  question,
  form,
}: {
  readonly question: Question;
  readonly form: FormInstance;
}) {
  const { t } = useTranslation();
  const text = useLocalText();
  const name = question.path.split('.');
  const item = (
    <Form.Item
      name={name}
      label={text(question.def)}
      rules={question.isRequired ? [{ required: true, message: t('selfCheck.required') }] : []}
    >
      <FactInput def={question.def} />
    </Form.Item>
  );
  if (!question.gate) return item;
  const gate = question.gate.path.split('.');
  return (
    <Form.Item noStyle dependencies={[gate]}>
      {() => (isVisible(question, form.getFieldsValue(true)) ? item : null)}
    </Form.Item>
  );
}

/**
 * 检查并提交: everything entered, for a last look before it goes (the people with every declared fact
 * and, for family members, their answers to the pathway's questions,
 * where they move from and to, the answers, the engine's answer on them, the materials with their file
 * names), the completeness check, and the declaration (承诺) that must be ticked before submitting.
 */
import { Alert, Card, Checkbox, Descriptions, Typography } from 'antd';
import type { Decision } from '../../../../../src/policy/evaluate';
import { findCode, type CodeTableId } from '../../../../../src/standards/code-tables';
import { DivisionLabel } from '../../../components/DivisionPicker';
import { useLang, useLocalText } from '../../../app/lang';
import { isVisible, readPath, type Question } from '../../policy/questions';
import type { ApplicationType, Completeness } from '../api';
import { CompletenessView } from '../parts';
import { useT } from '../texts';
import { derivedMemberKeys, moverOut, type ApplyValues } from './model';

export function ReviewStep({
  values,
  type,
  questions,
  memberQuestions,
  answers,
  decision,
  files,
  report,
  declared,
  onDeclared,
}: {
  readonly values: ApplyValues;
  readonly type: ApplicationType;
  readonly questions: readonly Question[];
  /** The questions asked of each family member (the pathway's follower rules), answered per mover. */
  readonly memberQuestions: readonly Question[];
  readonly answers: Record<string, unknown>;
  readonly decision: Decision | undefined;
  readonly files: Readonly<Record<string, File>>;
  readonly report: Completeness | undefined;
  readonly declared: boolean;
  readonly onDeclared: (value: boolean) => void;
}) {
  const t = useT();
  const text = useLocalText();
  const [lang] = useLang();
  const code = (table: CodeTableId, value: string | null | undefined) => {
    if (value === null) return t('unknown');
    if (!value) return t('notGiven');
    const entry = findCode(table, value);
    return entry ? (lang === 'en' ? entry.en : entry.zh) : value;
  };
  const isPermit = type.kind === 'residence-permit';
  const movers = (values.movers ?? []).map(moverOut);
  const chosen = decision?.pathways.find((p) => p.id === (type.id.split('/')[1] ?? type.id));
  const family = (answers.family ?? []) as readonly Record<string, unknown>[];
  const answerText = (q: Question, v: unknown = readPath(answers, q.path)) => {
    if (v === undefined || v === null || v === '') return t('notGiven');
    if (typeof v === 'boolean') return v ? t('yes') : t('no');
    if (typeof v === 'number') return `${v}${q.def.unit ? ` ${text(q.def.unit)}` : ''}`;
    const key = typeof v === 'string' ? v : JSON.stringify(v);
    return text(q.def.values?.[key]) || key;
  };
  return (
    <div className="stack" data-testid="review">
      <Typography.Paragraph>{t('reviewLead')}</Typography.Paragraph>
      <Card size="small" title={<h3 className="card-title">{t('chooseType')}</h3>}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('chooseType')}>{text(type.label)}</Descriptions.Item>
          <Descriptions.Item label={t('county')}>
            <DivisionLabel code={values.county} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {movers.map((m, i) => (
        <Card
          key={i}
          size="small"
          title={<h3 className="card-title">{i === 0 ? t('applicantSelf') : t('moverN', { n: i })}</h3>}
          data-testid={`review-mover-${i}`}
        >
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('name')}>{m.name}</Descriptions.Item>
            <Descriptions.Item label={t('citizenId')}>{m.citizenId}</Descriptions.Item>
            <Descriptions.Item label={t('sex')}>{m.sex === '1' ? t('male') : t('female')}</Descriptions.Item>
            <Descriptions.Item label={t('birthDate')}>{m.birthDate}</Descriptions.Item>
            {isPermit ? null : (
              <Descriptions.Item label={t('relationship')}>
                {code('relationship', m.relationship)}
              </Descriptions.Item>
            )}
            {isPermit ? null : (
              <Descriptions.Item label={t('birthplace')}>
                {m.birthplace === null ? t('unknown') : <DivisionLabel code={m.birthplace} />}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('ethnicity')}>{code('ethnicity', m.ethnicity)}</Descriptions.Item>
            {isPermit ? null : (
              <>
                <Descriptions.Item label={t('education')}>{code('education', m.education)}</Descriptions.Item>
                <Descriptions.Item label={t('maritalStatus')}>
                  {code('marital-status', m.maritalStatus)}
                </Descriptions.Item>
                <Descriptions.Item label={t('occupation')}>{m.occupation ?? t('notGiven')}</Descriptions.Item>
              </>
            )}
            {/* A family member's answers to the pathway's questions (共同居住, 生活来源 …). */}
            {i > 0
              ? memberQuestions
                  .filter((q) => !derivedMemberKeys(values.movers?.[i]).has(q.path.slice('member.'.length)))
                  .map((q) => (
                    <Descriptions.Item key={q.path} label={text(q.def)}>
                      <span data-testid={`review-answer-${q.path}`}>
                        {answerText(q, family[i - 1]?.[q.path.slice('member.'.length)])}
                      </span>
                    </Descriptions.Item>
                  ))
              : null}
          </Descriptions>
        </Card>
      ))}
      <Card size="small" title={<h3 className="card-title">{isPermit ? t('residence') : t('whereTo')}</h3>}>
        <Descriptions column={1} size="small">
          {isPermit ? (
            <>
              <Descriptions.Item label={t('residenceAddress')}>
                <DivisionLabel
                  code={values.residenceAddress?.townCode ?? values.residenceAddress?.countyCode}
                />{' '}
                {values.residenceAddress?.text}
              </Descriptions.Item>
              <Descriptions.Item label={t('livingSince')}>{values.livingSince}</Descriptions.Item>
            </>
          ) : (
            <>
              <Descriptions.Item label={t('from')}>
                <DivisionLabel code={values.fromDivision} />
              </Descriptions.Item>
              <Descriptions.Item label={t('destination')}>
                {values.destMode === 'new' ? (
                  <span>
                    {t('newHousehold')}：
                    <span data-testid="review-new-household-place">
                      <DivisionLabel
                        code={values.destination?.newHousehold?.address?.townCode ?? values.county}
                      />
                    </span>{' '}
                    {values.destination?.newHousehold?.address?.text}
                  </span>
                ) : (
                  <span>
                    {t('existing')}：{t('householdNumber')} {values.destination?.householdNumber}
                  </span>
                )}
              </Descriptions.Item>
            </>
          )}
        </Descriptions>
      </Card>
      {questions.length > 0 ? (
        <Card
          size="small"
          title={<h3 className="card-title">{t('answers')}</h3>}
          data-testid="review-answers"
        >
          <Descriptions column={1} size="small">
            {questions
              .filter((q) => isVisible(q, answers))
              .map((q) => (
                <Descriptions.Item key={q.path} label={text(q.def)}>
                  {answerText(q)}
                </Descriptions.Item>
              ))}
          </Descriptions>
        </Card>
      ) : null}
      {chosen ? (
        <Alert
          type={
            chosen.status === 'eligible'
              ? 'success'
              : chosen.status === 'needs_approval'
                ? 'warning'
                : 'error'
          }
          showIcon
          message={t(`pathwayStatus.${chosen.status}`, { pathway: text(chosen.title) })}
        />
      ) : null}
      <Card size="small" title={<h3 className="card-title">{t('stepMaterials')}</h3>}>
        <Descriptions column={1} size="small" layout="vertical">
          {type.materials.map((m) => (
            <Descriptions.Item key={m.key} label={text(m.label)}>
              {files[m.key]?.name ?? t('notUploaded')}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {report ? <CompletenessView report={report} /> : null}
      <Card size="small" className="declaration">
        <Checkbox checked={declared} onChange={(e) => onDeclared(e.target.checked)} data-testid="declaration">
          {t('declaration')}
        </Checkbox>
      </Card>
    </div>
  );
}

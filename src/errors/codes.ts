/**
 * The one table of Huji's stable error and refusal codes. Each code has an HTTP status (mapped here and
 * nowhere else), a developer message in English and user messages in Simplified Chinese and English.
 * Messages may hold `{param}` placeholders filled from the error's params.
 *
 * Codes are greppable and never change meaning; add new ones rather than repurposing.
 */
export interface ErrorDefinition {
  readonly status: number;
  readonly zh: string;
  readonly en: string;
}

export const ERROR_CODES = {
  HUJI_VALIDATION: {
    status: 400,
    zh: '请求内容有误：{detail}',
    en: 'The request is invalid: {detail}',
  },
  HUJI_MALFORMED_BODY: {
    status: 400,
    zh: '请求正文无法解析：{detail}',
    en: 'The request body cannot be parsed: {detail}',
  },
  HUJI_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: '不支持的内容类型 {contentType}。',
    en: 'Unsupported content type {contentType}.',
  },
  HUJI_PAYLOAD_TOO_LARGE: { status: 413, zh: '请求正文过大。', en: 'The request body is too large.' },
  HUJI_ROUTE_NOT_FOUND: {
    status: 404,
    zh: '没有这个接口：{method} {path}。',
    en: 'No such endpoint: {method} {path}.',
  },
  HUJI_BAD_URL: {
    status: 400,
    zh: '请求路径无法解析（百分号编码有误）：{path}',
    en: 'The request path cannot be decoded (bad percent-encoding): {path}',
  },
  HUJI_URI_TOO_LONG: {
    status: 414,
    zh: '请求路径中的参数过长。',
    en: 'A parameter of the request path is too long.',
  },
  HUJI_RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，请稍后再试。',
    en: 'Too many requests; try again later.',
  },
  HUJI_INTERNAL: {
    status: 500,
    zh: '系统内部错误，已记录（请求号 {requestId}）。',
    en: 'Internal error; it has been logged (request {requestId}).',
  },
  HUJI_DB_UNAVAILABLE: {
    status: 503,
    zh: '数据库暂时不可用，请稍后重试；提交类请求请用同一幂等键（Idempotency-Key）重试，不会重复办理。',
    en: 'The database is temporarily unavailable; try again later. Retry a submission with the same Idempotency-Key: it will not be done twice.',
  },

  // Citizen ID number (GB 11643-1999)
  HUJI_ID_LENGTH: {
    status: 422,
    zh: '公民身份号码应为 18 位（旧号码为 15 位），此号码为 {length} 位。',
    en: 'A citizen ID number has 18 characters (old numbers 15); this one has {length}.',
  },
  HUJI_ID_CHARACTERS: {
    status: 422,
    zh: '公民身份号码只能由数字组成，18 位号码的最后一位可以是 X；第 {position} 位“{character}”不符合。',
    en: 'A citizen ID number holds digits only, with X allowed as the last of 18; position {position} ("{character}") is not allowed.',
  },
  HUJI_ID_ADDRESS_UNKNOWN: {
    status: 422,
    zh: '地址码 {addressCode} 不是任何时期的县级行政区划代码（GB/T 2260）。',
    en: 'Address code {addressCode} is not a county-level division code of any period (GB/T 2260).',
  },
  HUJI_ID_ADDRESS_ABOLISHED: {
    status: 422,
    zh: '地址码 {addressCode}（{name}）已于 {lastYear} 年停用，早于出生年份 {birthYear}。',
    en: 'Address code {addressCode} ({name}) went out of use in {lastYear}, before the birth year {birthYear}.',
  },
  HUJI_ID_DATE_IMPOSSIBLE: {
    status: 422,
    zh: '出生日期码 {dateCode} 不是有效日期。',
    en: 'Birth date code {dateCode} is not a real date.',
  },
  HUJI_ID_DATE_FUTURE: {
    status: 422,
    zh: '出生日期 {birthDate} 晚于今天。',
    en: 'Birth date {birthDate} is in the future.',
  },
  HUJI_ID_CHECKSUM: {
    status: 422,
    zh: '校验码不符：按 GB 11643 的 MOD 11-2 计算应为 {expected}，号码中为 {actual}。',
    en: 'Check character mismatch: GB 11643 MOD 11-2 gives {expected}, the number has {actual}.',
  },
  HUJI_ID_NOT_LEGACY: {
    status: 422,
    zh: '只有 15 位旧号码可以升位，此号码为 {length} 位。',
    en: 'Only 15-digit old numbers can be upgraded; this one has {length} characters.',
  },
  HUJI_ID_CENTURY_MISMATCH: {
    status: 422,
    zh: '登记的出生日期 {birthDateOnRecord} 与号码中的出生日期码 {dateCode} 不一致。',
    en: 'The birth date on record {birthDateOnRecord} does not match the date code {dateCode} in the number.',
  },
  HUJI_ID_SEQUENCE_EXHAUSTED: {
    status: 409,
    zh: '地址码 {addressCode}、出生日期 {birthDate} 下{sexZh}性顺序码已用尽。',
    en: 'No free {sex} sequence code is left for address code {addressCode} and birth date {birthDate}.',
  },
  HUJI_ID_ALLOCATION_NOT_COUNTY: {
    status: 422,
    zh: '新号码的地址码必须是现行县级行政区划代码，{addressCode} 不是。',
    en: 'A new number needs a current county-level address code; {addressCode} is not one.',
  },

  // Administrative divisions (GB/T 2260, NBS statistical codes)
  HUJI_DIVISION_CODE_FORMAT: {
    status: 422,
    zh: '区划代码应为 2、4、6、9 或 12 位数字，“{code}”不符合。',
    en: 'A division code has 2, 4, 6, 9 or 12 digits; "{code}" does not.',
  },
  HUJI_DIVISION_UNKNOWN: {
    status: 404,
    zh: '没有区划代码为 {code} 的行政区划。',
    en: 'No division has the code {code}.',
  },
  HUJI_DIVISION_NOT_COUNTY: {
    status: 422,
    zh: '{code} {name}不是县级行政区划，乡镇、街道只在县级区划之下。',
    en: '{code} {name} is not a county-level division; towns are listed under a county.',
  },
  HUJI_FIELD_TOWN_CODE: {
    status: 422,
    zh: '须为所选县级区划下的乡镇、街道代码（9 位数字），“{value}”不是。',
    en: 'Must be the 9-digit code of a town or sub-district of the chosen county; "{value}" is not.',
  },
  HUJI_FIELD_CODE: {
    status: 422,
    zh: '须为{table}（{standard}）中的代码，“{value}”不是。',
    en: 'Must be a code of the {table} table ({standard}); "{value}" is not.',
  },
  HUJI_FIELD_DIVISION_CODE: {
    status: 422,
    zh: '须为 GB/T 2260 县级行政区划代码（6 位数字），“{value}”不是。',
    en: 'Must be a GB/T 2260 county-level division code (6 digits); "{value}" is not.',
  },
  HUJI_CODE_TABLE_UNKNOWN: {
    status: 404,
    zh: '没有名为 {table} 的代码表。',
    en: 'No code table is named {table}.',
  },

  // Policies
  HUJI_POLICY_UNKNOWN: {
    status: 404,
    zh: '没有政策版本 {id}；现有：{known}。',
    en: 'No policy version {id}; known: {known}.',
  },
  HUJI_PROGRAMME_UNKNOWN: {
    status: 404,
    zh: '政策 {id} 没有事项 {programme}；现有：{known}。',
    en: 'Policy {id} has no programme {programme}; known: {known}.',
  },

  // Population register
  HUJI_REGISTER_PERSON_UNKNOWN: {
    status: 404,
    zh: '登记中没有此人（{ref}）。',
    en: 'No person {ref} in the register.',
  },
  HUJI_REGISTER_HOUSEHOLD_UNKNOWN: {
    status: 404,
    zh: '登记中没有此户（{ref}）。',
    en: 'No household {ref} in the register.',
  },
  HUJI_REGISTER_NOT_ACTIVE: {
    status: 409,
    zh: '{name} 的户口状态为“{status}”，不能办理{action}。',
    en: '{name} is {status}; {action} is not possible.',
  },
  HUJI_REGISTER_HOUSEHOLD_CLOSED: {
    status: 409,
    zh: '户号 {householdNumber} 已注销，不能办理{action}。',
    en: 'Household {householdNumber} is closed; {action} is not possible.',
  },
  HUJI_REGISTER_NOT_MEMBER: {
    status: 409,
    zh: '{name} 不在户号 {householdNumber} 内。',
    en: '{name} is not a member of household {householdNumber}.',
  },
  HUJI_REGISTER_HEAD_REQUIRED: {
    status: 409,
    zh: '{name} 是户主，户内还有其他成员：须同时指定新户主（newHeadPersonId）。',
    en: '{name} is the head and other members remain: name the new head (newHeadPersonId) in the same command.',
  },
  HUJI_REGISTER_CITIZEN_ID_TAKEN: {
    status: 409,
    zh: '公民身份号码 {citizenId} 已登记在册（户号 {householdNumber}）。',
    en: 'Citizen ID {citizenId} is already registered (household {householdNumber}).',
  },
  HUJI_REGISTER_CITIZEN_ID_TAKEN_ELSEWHERE: {
    status: 409,
    zh: '公民身份号码 {citizenId} 已在其他县（市、区）登记常住户口；请先由原登记地办理迁出。',
    en: 'Citizen ID {citizenId} is registered in another county; it must be moved out there first.',
  },
  HUJI_REGISTER_ID_INCONSISTENT: {
    status: 422,
    zh: '公民身份号码与{field}不一致：号码中为 {inId}，登记为 {value}。',
    en: 'The citizen ID does not match the {field}: the number says {inId}, the record says {value}.',
  },
  HUJI_REGISTER_DATE_ORDER: {
    status: 422,
    zh: '生效日期 {date} 早于{what}（{earlier}）。',
    en: 'Effective date {date} is before {what} ({earlier}).',
  },
  HUJI_REGISTER_SAME_VALUE: {
    status: 422,
    zh: '{field} 已是 {value}，无需更正。',
    en: '{field} is already {value}; nothing to correct.',
  },
  HUJI_REGISTER_OUT_OF_JURISDICTION: {
    status: 404,
    zh: '没有此记录（{ref}）。',
    en: 'No such record ({ref}).',
  },
  HUJI_REGISTER_KEPT_NOT_ACTIVE: {
    status: 409,
    zh: '保留的登记（{name}）户口状态为“{status}”：注销重复户口时须保留一条正常的登记。',
    en: 'The registration to keep ({name}) is {status}; a duplicate is cancelled only in favour of an active registration.',
  },
  HUJI_REGISTER_LEDGER_BROKEN: {
    status: 409,
    zh: '{county} 的登记链在第 {seq} 条事件处校验不通过（被改动、删除或无法重放）：不能据此重建登记表。',
    en: 'The ledger of {county} fails at event {seq} (edited, removed or not replayable): the register tables are not rebuilt from it.',
  },
  HUJI_DUPLICATE_SAME_RECORD: {
    status: 422,
    zh: '两边是同一条登记记录：疑似一人多户须是两条不同的登记。',
    en: 'Both sides are the same registration; a duplicate pair is two different registrations.',
  },
  HUJI_DUPLICATE_NOT_A_PAIR: {
    status: 422,
    zh: '{a} 与 {b} 的公民身份号码、出生日期、性别或姓名不相符，不是疑似一人多户。',
    en: '{a} and {b} do not match in citizen ID, birth date, sex or name; they are not a suspected duplicate pair.',
  },
  HUJI_DUPLICATE_REVIEW_RESOLVED: {
    status: 409,
    zh: '这对登记已于 {resolvedAt} 注销重复户口，结论不能再更改。',
    en: 'This pair was resolved on {resolvedAt} by cancelling the duplicate registration; the verdict can no longer change.',
  },
  HUJI_DUPLICATE_REVIEWED_DISTINCT: {
    status: 409,
    zh: '{a} 与 {b} 已核定为不同的人（{reviewedAt}），不能作为重复户口注销；如结论有误，请先重新核定。',
    en: '{a} and {b} were reviewed as different persons ({reviewedAt}) and cannot be cancelled as duplicates; review the pair again first if that was wrong.',
  },
  HUJI_DOCUMENT_ALREADY_REVOKED: {
    status: 409,
    zh: '文书 {documentId} 已于 {revokedOn} 作废，不能再次作废。',
    en: 'Document {documentId} was already revoked on {revokedOn}; it cannot be revoked again.',
  },
  HUJI_METRICS_TOKEN_REQUIRED: {
    status: 401,
    zh: '运行指标需要令牌：请在 Authorization 头中提供 Bearer 令牌（HUJI_METRICS_TOKEN）。',
    en: 'Metrics need a token: send it as a Bearer token in the Authorization header (HUJI_METRICS_TOKEN).',
  },
  HUJI_OFFICER_REQUIRED: {
    status: 401,
    zh: '请先以工作人员账户登录（用户名、密码和动态验证码）。',
    en: 'Sign in with an officer account first (username, password and authenticator code).',
  },
  HUJI_IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '此操作须带 Idempotency-Key 请求头。',
    en: 'This operation needs an Idempotency-Key header.',
  },
  HUJI_IDEMPOTENCY_MISMATCH: {
    status: 422,
    zh: 'Idempotency-Key {key} 已用于内容不同的请求。',
    en: 'Idempotency-Key {key} was used for a request with a different body.',
  },
  HUJI_IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    zh: '使用 Idempotency-Key {key} 的请求仍在处理中，请稍后重试。',
    en: 'The request with Idempotency-Key {key} is still running; retry later.',
  },

  // Officer accounts, sign-in and sessions (security.md)
  HUJI_SIGN_IN_FAILED: {
    status: 401,
    zh: '用户名或密码不正确。',
    en: 'Wrong username or password.',
  },
  HUJI_SECOND_FACTOR_FAILED: {
    status: 401,
    zh: '动态验证码不正确或已使用，请输入验证器当前显示的 6 位数字。',
    en: 'The authenticator code is wrong or already used; enter the 6 digits your authenticator shows now.',
  },
  HUJI_SIGN_IN_CHALLENGE_INVALID: {
    status: 401,
    zh: '登录步骤已过期或无效，请重新输入用户名和密码。',
    en: 'The sign-in step has expired or is invalid; enter your username and password again.',
  },
  HUJI_ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账户已锁定至 {until}；如需提前解锁请联系系统管理员。',
    en: 'Too many failed sign-ins: the account is locked until {until}; a system administrator can unlock it sooner.',
  },
  HUJI_ACCOUNT_DISABLED: {
    status: 401,
    zh: '此账户已停用。',
    en: 'This account is disabled.',
  },
  HUJI_SESSION_EXPIRED: {
    status: 401,
    zh: '登录已超时（{reason}），请重新登录。',
    en: 'Your session has ended ({reason}); sign in again.',
  },
  HUJI_CSRF_TOKEN_INVALID: {
    status: 403,
    zh: '请求缺少有效的 X-CSRF-Token 请求头（登录时获得），已拒绝。',
    en: 'The request lacks a valid X-CSRF-Token header (given at sign-in) and was refused.',
  },
  HUJI_FORBIDDEN: {
    status: 403,
    zh: '你的角色无权执行此操作（{action}）。',
    en: 'Your roles do not allow this action ({action}).',
  },
  HUJI_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    zh: '请先修改密码（初始密码或已超过 {days} 天未修改）后再办理业务。',
    en: 'Change your password first (an initial password, or one older than {days} days).',
  },
  HUJI_PASSWORD_WEAK: {
    status: 422,
    zh: '新密码不符合要求：至少 {minLength} 个字符，包含大写字母、小写字母、数字、其他字符中的至少 {minClasses} 类，且不含用户名。',
    en: 'The new password does not meet the rules: at least {minLength} characters from at least {minClasses} of upper case, lower case, digits and other characters, without the username.',
  },
  HUJI_PASSWORD_REUSED: {
    status: 422,
    zh: '新密码不能与最近 {count} 次使用过的密码相同。',
    en: 'The new password may not be any of the last {count} passwords.',
  },
  HUJI_PASSWORD_CURRENT_WRONG: {
    status: 403,
    zh: '当前密码不正确。',
    en: 'The current password is wrong.',
  },
  HUJI_ADMIN_DUTIES_COMBINED: {
    status: 422,
    zh: '系统管理员、安全管理员、审计管理员三权分立，一个账户只能担任其中一种（此处为 {duties}）。',
    en: 'The system, security and audit administrators are separate duties; one account may hold only one (here: {duties}).',
  },
  HUJI_ADMIN_ROLE_ALONE: {
    status: 422,
    zh: '管理员账户只担任管理员职责，不能同时拥有业务角色（此处为 {roles}）。',
    en: 'An administrator account holds its administrator duty alone, never a business role too (here: {roles}).',
  },
  HUJI_ADMIN_ACCOUNT_HOST_ONLY: {
    status: 403,
    zh: '管理员账户的凭据、角色和状态只能在服务器主机上用 huji accounts 命令修改（有审计记录），不能由另一名管理员在线修改。',
    en: 'The credentials, roles and state of administrator accounts are changed only on the server host with `huji accounts` (audited), never by another administrator online.',
  },
  HUJI_ACCOUNT_NO_CHANNEL: {
    status: 409,
    zh: '此账户没有登记本人手机号码，无法把新密码送达本人；请在服务器主机上用 huji accounts reset 重置。',
    en: 'This account has no mobile number of its holder to send the new password to; reset it on the server host with `huji accounts reset`.',
  },
  HUJI_PASSWORD_GUESSES: {
    status: 401,
    zh: '当前密码错误次数过多，本账户的所有会话已结束，请重新登录。',
    en: 'Too many wrong current passwords: every session of this account has ended; sign in again.',
  },
  HUJI_ACCOUNT_USERNAME_TAKEN: {
    status: 409,
    zh: '用户名 {username} 已被使用。',
    en: 'The username {username} is taken.',
  },
  HUJI_ACCOUNT_UNKNOWN: {
    status: 404,
    zh: '没有此账户（{ref}）。',
    en: 'No such account ({ref}).',
  },

  HUJI_RESIDENT_PHONE_INVALID: {
    status: 422,
    zh: '请输入 11 位中国大陆手机号码。',
    en: 'Enter an 11-digit mainland China mobile number.',
  },
  HUJI_ONE_TIME_CODE_FAILED: {
    status: 401,
    zh: '验证码不正确，请核对短信中的 6 位数字。',
    en: 'The code is wrong; check the 6 digits in the message.',
  },
  HUJI_RESIDENT_REQUIRED: {
    status: 401,
    zh: '请先登录（手机号码和验证码）。',
    en: 'Sign in first (mobile number and code).',
  },
  HUJI_APPLICATION_NOT_FOUND: {
    status: 404,
    zh: '没有这个申请：{id}。',
    en: 'No such application: {id}.',
  },
  HUJI_APPLICATION_ROLE: {
    status: 403,
    zh: '您的角色不能对申请执行“{action}”，需要：{needs}。',
    en: 'Your roles cannot take the action "{action}" on applications; it needs: {needs}.',
  },
  HUJI_APPLICATION_TRANSITION: {
    status: 409,
    zh: '申请处于“{state}”状态，不能执行“{action}”；此时可执行：{allowed}。',
    en: 'The application is {state}; "{action}" is not allowed now. Allowed now: {allowed}.',
  },
  HUJI_APPLICATION_CITATION: {
    status: 422,
    zh: '不予批准的理由，或与政策引擎结论不同的批准，须引用政策条款并摘录原文（{problem}）。',
    en: "A refusal, or an approval against the policy engine's finding, must cite an article of the policy and quote its sentence ({problem}).",
  },
  HUJI_APPLICATION_NOT_ELIGIBLE: {
    status: 422,
    zh: '政策引擎认定申请 {id} 不符合所申请途径（{pathway}）的条件；如经核实材料确认符合，批准时须引用条款原文并说明理由（justification）。',
    en: 'The policy engine found application {id} does not meet the conditions of its pathway ({pathway}); to approve it after checking the materials, cite the article, quote its sentence and explain why (justification).',
  },
  HUJI_APPLICATION_RETURN_EMPTY: {
    status: 422,
    zh: '退回补正须列明需要补正的全部内容。',
    en: 'A return for materials must list everything that must change.',
  },
  HUJI_APPLICATION_RETURN_INVALID: {
    status: 422,
    zh: '退回补正的内容有误：{problems}。',
    en: 'The return for materials is invalid: {problems}.',
  },
  HUJI_APPLICATION_FORBIDDEN_DEMAND: {
    status: 422,
    zh: '第 {item} 项要求违反政策：{demand}。',
    en: 'Item {item} demands what the policy forbids: {demand}.',
  },
  HUJI_APPLICATION_INCOMPLETE: {
    status: 422,
    zh: '申请材料不齐全，不能受理；缺少或需重交：{missing}。请一次性退回补正。',
    en: 'The application is incomplete and cannot be accepted; missing or to redo: {missing}. Return it with the whole list.',
  },
  HUJI_APPLICATION_TYPE_UNKNOWN: {
    status: 422,
    zh: '{county} 不办理申请类型 {typeId}；可办理：{known}。',
    en: 'Application type {typeId} is not offered in {county}; offered: {known}.',
  },
  HUJI_APPLICATION_NO_POLICY: {
    status: 422,
    zh: '{county} 没有已发布的户籍政策，暂不能受理网上申请。',
    en: 'No published hukou policy covers {county}; online applications cannot be taken there yet.',
  },
  HUJI_APPLICATION_PERSON_REGISTERED: {
    status: 409,
    zh: '公民身份号码 {citizenId}（{field}）已在本市（{city}）登记常住户口，不能再申请{kind}；如需在市内迁移，请办理市内迁移。',
    en: 'Citizen ID {citizenId} ({field}) is already registered as a permanent resident in {city}, so it cannot apply for {kind}; a move within the city is a separate service.',
  },
  HUJI_APPLICATION_PERSON_PENDING: {
    status: 409,
    zh: '公民身份号码 {citizenId}（{field}）已有一件正在办理的{kind}申请（{reference}），不能重复申请；请等待办结或先撤回。',
    en: 'Citizen ID {citizenId} ({field}) is already in an open {kind} application ({reference}); wait until it is finished or withdraw it first.',
  },
  HUJI_APPLICATION_RETURN_OUTSTANDING: {
    status: 422,
    zh: '退回补正的 {count} 项尚未重新上传或更正：{items}。请逐项补正后再提交。',
    en: '{count} returned item(s) not provided again yet (a new upload or a corrected entry): {items}. Provide each before resubmitting.',
  },
  HUJI_APPLICATION_FIELD_NOT_RETURNED: {
    status: 422,
    zh: '只能更正退回补正的内容；以下内容未被退回，不能修改：{fields}。',
    en: 'Only the returned entries may be corrected; these were not returned and cannot change: {fields}.',
  },
  HUJI_APPLICATION_CORRECTION_COUNTY: {
    status: 422,
    zh: '更正后的迁入地（{to}）不属于受理本申请的 {from}，不能通过补正改变受理机关；请撤回后向迁入地申请。',
    en: 'The corrected destination ({to}) is outside {from}, which handles this application; a correction cannot change the office: withdraw and apply there.',
  },
  HUJI_APPLICATION_REGISTER_REFUSED: {
    status: 422,
    zh: '户口登记未能完成，申请未批准：{reason}',
    en: 'The register refused the change, so the application was not approved: {reason}',
  },
  HUJI_MATERIAL_TYPE: {
    status: 415,
    zh: '文件“{fileName}”不是允许的类型（只收 JPEG、PNG 图片和 PDF；按文件内容识别为 {detected}）。',
    en: 'File "{fileName}" is not an allowed type (JPEG, PNG or PDF only; its bytes look like {detected}).',
  },
  HUJI_MATERIAL_IMAGE_ONLY: {
    status: 415,
    zh: '“{material}”只收照片（JPEG、PNG 图片）；文件“{fileName}”按文件内容识别为 {detected}。',
    en: '"{material}" takes a photo only (a JPEG or PNG image); file "{fileName}" is {detected} by its bytes.',
  },
  HUJI_MATERIAL_TOO_LARGE: {
    status: 413,
    zh: '文件“{fileName}”过大：{size} 字节，上限 {limit} 字节。',
    en: 'File "{fileName}" is too large: {size} bytes, the limit is {limit}.',
  },
  HUJI_MATERIAL_KEY: {
    status: 422,
    zh: '“{key}”不是该申请类型材料清单中的材料；清单：{known}。',
    en: '"{key}" is not on the material checklist of this application type; checklist: {known}.',
  },
  HUJI_MATERIAL_NOT_FOUND: {
    status: 404,
    zh: '没有这份材料：{id}。',
    en: 'No such material: {id}.',
  },
  HUJI_CERTIFICATE_NOT_FOUND: {
    status: 404,
    zh: '该申请没有这份证明文书：{id}。',
    en: 'No such certificate of this application: {id}.',
  },
  HUJI_MATERIALS_LOCKED: {
    status: 409,
    zh: '申请处于“{state}”状态，不能再上传材料。',
    en: 'The application is {state}; materials can no longer be uploaded.',
  },

  // Input rules and limits (issue 14: dates, names, throttles, uploads)
  HUJI_DATE_OUT_OF_RANGE: {
    status: 400,
    zh: '日期 {value} 超出可受理的范围（{from} 至 {to}）。',
    en: 'The date {value} is outside the accepted range ({from} to {to}).',
  },
  HUJI_NAME_CHARACTER: {
    status: 400,
    zh: '姓名第 {position} 个字符 {codePoint} 是{kind}，不能用于姓名；请删除后重新填写。',
    en: 'Character {position} of the name, {codePoint}, is {kind} and cannot be part of a name; remove it and try again.',
  },
  HUJI_DOCUMENT_UNRENDERABLE: {
    status: 422,
    zh: '文书无法生成，未予开具：{detail}。请先更正登记内容。',
    en: 'The document cannot be rendered, so it was not issued: {detail}. Correct the record first.',
  },
  HUJI_SUBMISSION_LIMIT: {
    status: 429,
    zh: '提交申请过于频繁：每{window}最多 {limit} 件，请 {retryAfter} 秒后再试。',
    en: 'Too many applications submitted: at most {limit} per {window}; try again in {retryAfter} s.',
  },
  HUJI_MATERIAL_FILES_LIMIT: {
    status: 422,
    zh: '材料“{key}”最多上传 {limit} 个文件，已有 {count} 个。',
    en: 'Material "{key}" takes at most {limit} files; it already has {count}.',
  },
  HUJI_MATERIAL_BYTES_LIMIT: {
    status: 413,
    zh: '材料“{key}”的文件合计不能超过 {limit} 字节（已有 {used} 字节，本文件 {size} 字节）。',
    en: 'The files of material "{key}" may total at most {limit} bytes ({used} already, this file {size}).',
  },
  HUJI_MATERIAL_ACTIVE_CONTENT: {
    status: 422,
    zh: 'PDF 文件“{fileName}”含有可执行或嵌入内容（{feature}），不予接收；请打印为普通 PDF 后重新上传。',
    en: 'PDF file "{fileName}" holds active or embedded content ({feature}) and is refused; print it to a plain PDF and upload again.',
  },
  HUJI_MATERIAL_CORRUPT: {
    status: 422,
    zh: '文件“{fileName}”不是完整有效的 {type} 图片（{detail}）。',
    en: 'File "{fileName}" is not a complete, valid {type} image ({detail}).',
  },

  // Audit trail (security.md § Audit; src/audit/)
  HUJI_AUDIT_UNAVAILABLE: {
    status: 503,
    zh: '审计记录无法写入，请求的结果未确认，请稍后重试（请求号 {requestId}）。',
    en: 'The audit record could not be written, so the outcome is not confirmed; try again later (request {requestId}).',
  },
  HUJI_AUDIT_CURSOR_INVALID: {
    status: 400,
    zh: '分页游标无效，请从第一页重新查询。',
    en: 'The paging cursor is invalid; start again from the first page.',
  },

  // Database and configuration
  HUJI_SCHEMA_TOO_NEW: {
    status: 503,
    zh: '数据库结构版本（{database}）比本程序认识的（{known}）更新，请升级 Huji 后再启动。',
    en: 'The database schema ({database}) is newer than this Huji knows ({known}); upgrade Huji before starting.',
  },
  HUJI_DB_UNREACHABLE: {
    status: 503,
    zh: '无法连接 PostgreSQL（{target}）：{detail}。请把 DATABASE_URL 设为可连接的服务器，或去掉 DATABASE_URL 以使用内置数据库（HUJI_DATA_DIR）。',
    en: 'Cannot reach PostgreSQL at {target}: {detail}. Set DATABASE_URL to a reachable server, or unset it to use the embedded database (HUJI_DATA_DIR).',
  },
  HUJI_DATA_DIR_UNUSABLE: {
    status: 503,
    zh: '无法打开内置数据库目录 {dataDir}：{detail}。请把 HUJI_DATA_DIR 设为可写的目录。',
    en: 'Cannot open the embedded database in {dataDir}: {detail}. Set HUJI_DATA_DIR to a writable directory.',
  },
  HUJI_DATA_DIR_LOCKED: {
    status: 503,
    zh: '内置数据库目录 {dataDir} 正被进程 {pid}（npm start 或 huji serve）使用，一个目录同一时间只能由一个 Huji 进程打开。服务运行时请用网页控制台或 HTTP API 查询；要用此命令，先停止该进程（在其终端按 Ctrl+C，或 kill {pid}）再重试；或设置 DATABASE_URL 改用 PostgreSQL，多个进程即可同时使用。',
    en: 'The embedded database in {dataDir} is in use by process {pid} (npm start or huji serve); only one Huji process may open it at a time. While the server runs, use the web console or the HTTP API; to run this command, stop that process (Ctrl+C in its terminal, or kill {pid}) and try again, or set DATABASE_URL to use PostgreSQL, which many processes can share.',
  },
  HUJI_STATS_OUT_OF_JURISDICTION: {
    status: 404,
    zh: '没有此地区的统计（{county}）。',
    en: 'No figures for this area ({county}).',
  },
  HUJI_STATS_RANGE: {
    status: 400,
    zh: '起始日期 {from} 晚于截止日期 {to}。',
    en: 'The start date {from} is after the end date {to}.',
  },
  HUJI_QUEUE_COUNTY_OUTSIDE: {
    status: 400,
    zh: '县区 {county} 不在你的辖区内，只能按辖区内的县区筛选。',
    en: 'The county {county} is outside your jurisdiction; filter by a county within it.',
  },
  HUJI_QUEUE_SEARCH_FULL_ID: {
    status: 403,
    zh: '你的角色不能查看完整的公民身份号码，因此不能按号码查找；请按受理编号或申请人姓名查找。',
    en: 'Your roles may not see full citizen ID numbers, so you cannot search by one; search by reference or applicant name.',
  },
  HUJI_QUEUE_EXPORT_TOO_LARGE: {
    status: 422,
    zh: '筛选结果有 {total} 件，超过一次导出的上限 {max} 件，请缩小筛选范围。',
    en: 'The filtered queue holds {total} applications, more than the {max} one export may hold; narrow the filters.',
  },
  // Reasons a row of `huji import persons` is refused, written to the rejects file in the user's language;
  // each says what would be accepted. {column} is the column's header in the message's language.
  HUJI_IMPORT_VALUE_NOT_ACCEPTED: {
    status: 422,
    zh: '{column}“{value}”无法识别；可填：{accepted}。',
    en: '{column} "{value}" is not recognised; accepted: {accepted}.',
  },
  HUJI_IMPORT_REQUIRED: {
    status: 422,
    zh: '{column}不能为空；可填：{accepted}。',
    en: '{column} is empty; accepted: {accepted}.',
  },
  HUJI_IMPORT_FIELD_INVALID: {
    status: 422,
    zh: '{column}“{value}”不符合要求；可填：{accepted}。',
    en: '{column} "{value}" is not valid; accepted: {accepted}.',
  },
  HUJI_IMPORT_DIFFERS_IN_HOUSEHOLD: {
    status: 422,
    zh: '{column}“{value}”与同户第一行的“{first}”不同；同一户各行的住址、县级区划代码和户类型须相同。',
    en: '{column} "{value}" differs from the household\'s first row ("{first}"); every row of a household has the same address, county code and household type.',
  },
  HUJI_IMPORT_NOT_CONTIGUOUS: {
    status: 422,
    zh: '户号 {householdNumber} 的行不相邻；同一户的各行须排在一起。',
    en: "The rows of household {householdNumber} are not together; a household's rows must follow each other.",
  },
  HUJI_IMPORT_ID_DISAGREES: {
    status: 422,
    zh: '{column}填写为“{value}”，公民身份号码表明应为“{expected}”；可填与身份号码一致的值。',
    en: '{column} is "{value}" but the citizen id says "{expected}"; accepted: the value the citizen id gives.',
  },
  HUJI_IMPORT_ID_TWICE: {
    status: 422,
    zh: '公民身份号码 {citizenId} 在本户出现两次；每人在一户中只能有一行。',
    en: 'Citizen id {citizenId} appears twice in the household; a person has one row per household.',
  },
  HUJI_IMPORT_ALREADY_REGISTERED: {
    status: 409,
    zh: '此人已登记在户 {householdNumber}；一人只能有一处常住户口，请先办理迁移或注销。',
    en: 'This person is already registered in household {householdNumber}; a person has one permanent registration, so move or cancel it first.',
  },
  HUJI_IMPORT_HEADS: {
    status: 422,
    zh: '家庭户须有且只有一名户主（与户主关系 02 或“户主”），此户有 {count} 名。',
    en: 'A family household has exactly one head (relationship 02 or 户主); this one has {count}.',
  },
  HUJI_IMPORT_RETURNED_WITH_HOUSEHOLD: {
    status: 422,
    zh: '随户退回：本行无误，同户第 {lines} 行有误，全户未导入（不拆分一户）；改正后重新导入全户。',
    en: 'Returned with its household: this row is correct, but line {lines} of the same household is not, so the whole household was not imported (a household is never split); fix it and import the household again.',
  },
  // A row of `huji import persons` that is not well-formed CSV: refused on its own line, the reading goes on.
  HUJI_IMPORT_CSV_UNTERMINATED_QUOTE: {
    status: 422,
    zh: '第 {cell} 列（{column}）的引号没有闭合；本行未导入，其后各行照常读取。引号须包住整个字段，字段内的引号须连写两个。',
    en: 'The quote in column {cell} ({column}) is never closed; this line was not imported and reading went on with the next. A quote encloses a whole field; a quote inside a field is written twice.',
  },
  HUJI_IMPORT_CSV_STRAY_QUOTE: {
    status: 422,
    zh: '第 {cell} 列（{column}）的引号位置不对；引号须包住整个字段，字段内的引号须连写两个。',
    en: 'Column {cell} ({column}) has a misplaced quote; a quote encloses a whole field, and a quote inside a field is written twice.',
  },
  HUJI_IMPORT_CSV_COLUMN_COUNT: {
    status: 422,
    zh: '本行有 {count} 列，表头有 {expected} 列；每行的列数须与表头相同（含逗号的值须加引号）。',
    en: 'This line has {count} columns and the header {expected}; every line has as many columns as the header (quote a value that holds a comma).',
  },
  HUJI_IMPORT_CSV_ENCODING: {
    status: 422,
    zh: '本行第 {byte} 个字节附近不是有效的 {encoding} 编码；本行未导入。请按 {encoding} 改正该字符，或以 --encoding 指定文件的编码。',
    en: "This line is not valid {encoding} near byte {byte}; it was not imported. Fix the character in {encoding}, or name the file's encoding with --encoding.",
  },
  HUJI_IMPORT_CSV_NUL: {
    status: 422,
    zh: '第 {cell} 列（{column}）含有 NUL 字符（0x00），无法保存；请删去该字符。',
    en: 'Column {cell} ({column}) holds a NUL character (0x00), which cannot be stored; remove it.',
  },
  HUJI_EXPORT_UNENCODABLE: {
    status: 422,
    zh: '无法以 {encoding} 导出，{count} 处字符该编码没有：{places}。未写出任何内容；请改用 --encoding gb18030（含全部汉字，旧系统多可读）或 utf-8。',
    en: 'Cannot export in {encoding}: {count} character(s) it lacks: {places}. Nothing was written; use --encoding gb18030 (every Chinese character, readable by most legacy systems) or utf-8.',
  },
  HUJI_CONFIG_INVALID: {
    status: 500,
    zh: '环境变量 {name} 有误：{detail}',
    en: 'Environment variable {name} is invalid: {detail}',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type Locale = 'zh-CN' | 'en';

/** A param that is itself a word of the message, in both languages (a status, an action). */
const isBilingual = (v: unknown): v is { zh: string; en: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { zh?: unknown }).zh === 'string' &&
  typeof (v as { en?: unknown }).en === 'string';

/**
 * Fills `{param}` placeholders; unknown placeholders stay visible so a missing param is noticed. A
 * `{ zh, en }` param is put in the message's language.
 */
export function formatMessage(
  code: ErrorCode,
  locale: Locale,
  params: Readonly<Record<string, unknown>> = {},
) {
  const template = locale === 'zh-CN' ? ERROR_CODES[code].zh : ERROR_CODES[code].en;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    if (isBilingual(value)) return locale === 'zh-CN' ? value.zh : value.en;
    return String(value);
  });
}

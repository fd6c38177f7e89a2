// Who may call what, written from the duties in domain.md §0 (and §9 for patient data), not from
// the server: access.test.mjs compares the server's behaviour and its OpenAPI with this table, so
// a wrong permission in the server fails the test. A new route fails it until it is added here.
const ROLES = ['admin', 'director', 'qc_officer', 'radiologist', 'technologist', 'nurse', 'engineer',
  'safety_officer', 'clinician', 'hospital_qc', 'inspector', 'trainee'];
const except = (...out) => ROLES.filter((r) => !out.includes(r));

// Duties, each the roles that carry it.
const EVERYONE = 'authenticated';
const ORG_READ = ROLES;                                   // sites and rooms are everyone's reference
const ADMIN = ['admin'];                                  // users, roles, sites, rooms, settings
// People's records hold personal data: those who manage, supervise or inspect people.
const STAFF_READ = ['admin', 'director', 'qc_officer', 'safety_officer', 'hospital_qc', 'inspector'];
const STAFF_WRITE = ['admin', 'director'];
// The radiation protection officer keeps certificates (domain.md §0 safety_officer).
const CERTIFICATES_WRITE = ['admin', 'director', 'safety_officer'];
const SETTINGS_READ = STAFF_READ;
const AUDIT_READ = ['admin', 'inspector'];
// Patient data: not for the engineer and the radiation protection officer (their work is devices
// and staff); registration by those who meet the patient.
const PATIENTS_READ = except('engineer', 'safety_officer');
const PATIENTS_WRITE = ['admin', 'technologist', 'nurse', 'clinician'];
const ORDERS_WRITE = ['admin', 'clinician'];
// Exams: the engineer sees exams by accession (device work) without patient fields.
const EXAMS_READ = except('safety_officer');
const EXAMS_WORK = ['admin', 'technologist', 'nurse'];
const SCREENING_APPROVE = ['radiologist', 'director'];    // physicians sign off screening gates
const SCHEDULE_MANAGE = ['admin', 'director'];
// Anyone can report a safety event; the inspector only reads.
const SAFETY_REPORT = except('inspector');
const SAFETY_READ = ['director', 'qc_officer', 'safety_officer', 'hospital_qc', 'inspector'];
const SAFETY_MANAGE = ['director', 'qc_officer', 'safety_officer', 'hospital_qc'];

export const EXPECTED = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': EVERYONE,
  'GET /api/v1/auth/me': EVERYONE,
  'POST /api/v1/auth/password': EVERYONE,
  'GET /api/v1/home': EVERYONE,

  'GET /api/v1/users': ADMIN,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users/{id}': ADMIN,
  'PATCH /api/v1/users/{id}': ADMIN,
  'POST /api/v1/users/{id}/lock': ADMIN,
  'POST /api/v1/users/{id}/unlock': ADMIN,
  'POST /api/v1/users/{id}/password': ADMIN,
  'GET /api/v1/api-tokens': ADMIN,
  'POST /api/v1/api-tokens': ADMIN,
  'POST /api/v1/api-tokens/{id}/revoke': ADMIN,
  'GET /api/v1/jobs': ADMIN,
  'POST /api/v1/jobs/{id}/retry': ADMIN,
  'GET /api/v1/settings': SETTINGS_READ,
  'GET /api/v1/settings/{key}': SETTINGS_READ,
  'POST /api/v1/settings/{key}/versions': ADMIN,
  'GET /api/v1/audit': AUDIT_READ,
  'GET /api/v1/audit/verify': AUDIT_READ,
  'GET /api/v1/audit/status': AUDIT_READ,
  'GET /api/v1/audit/actions': AUDIT_READ,

  'GET /api/v1/sites': ORG_READ,
  'POST /api/v1/sites': ADMIN,
  'GET /api/v1/sites/{id}': ORG_READ,
  'PATCH /api/v1/sites/{id}': ADMIN,
  'GET /api/v1/sites/{id}/licences': ORG_READ,
  'POST /api/v1/sites/{id}/licences': ADMIN,
  'PATCH /api/v1/licences/{id}': ADMIN,
  'GET /api/v1/rooms': ORG_READ,
  'POST /api/v1/rooms': ADMIN,
  'GET /api/v1/rooms/{id}': ORG_READ,
  'PATCH /api/v1/rooms/{id}': ADMIN,
  'GET /api/v1/departments': ORG_READ,
  'POST /api/v1/departments': ADMIN,
  'GET /api/v1/departments/{id}': ORG_READ,
  'PATCH /api/v1/departments/{id}': ADMIN,
  'GET /api/v1/staff': STAFF_READ,
  'POST /api/v1/staff': STAFF_WRITE,
  'GET /api/v1/staff/{id}': STAFF_READ,
  'PATCH /api/v1/staff/{id}': STAFF_WRITE,
  'POST /api/v1/staff/{id}/titles': STAFF_WRITE,
  'GET /api/v1/staff/{id}/certificates': STAFF_READ,
  'POST /api/v1/staff/{id}/certificates': CERTIFICATES_WRITE,
  'PATCH /api/v1/certificates/{id}': CERTIFICATES_WRITE,

  'GET /api/v1/patients': PATIENTS_READ,
  'POST /api/v1/patients': PATIENTS_WRITE,
  'GET /api/v1/patients/{id}': PATIENTS_READ,
  'PATCH /api/v1/patients/{id}': PATIENTS_WRITE,
  'POST /api/v1/patients/{id}/merge': PATIENTS_WRITE,
  'GET /api/v1/pinyin': PATIENTS_WRITE,
  'GET /api/v1/catalogue': EVERYONE,
  'POST /api/v1/catalogue': ADMIN,
  'GET /api/v1/catalogue/{id}': EVERYONE,
  'PATCH /api/v1/catalogue/{id}': ADMIN,
  'POST /api/v1/orders': ORDERS_WRITE,
  'GET /api/v1/exams': EXAMS_READ,
  'GET /api/v1/exams/{id}': EXAMS_READ,
  'POST /api/v1/exams/{id}/transitions': EXAMS_WORK,
  'POST /api/v1/exams/{id}/booking': EXAMS_WORK,
  'GET /api/v1/exams/{id}/screening': EXAMS_READ,
  'GET /api/v1/exams/{id}/screening/versions': EXAMS_READ,
  'PUT /api/v1/exams/{id}/screening': EXAMS_WORK,
  'POST /api/v1/exams/{id}/screening/approvals': SCREENING_APPROVE,
  // 待审批: the physicians who approve gates, their list of exams waiting for them.
  'GET /api/v1/screening/pending-approvals': SCREENING_APPROVE,
  'GET /api/v1/screening/overrides': EXAMS_READ,
  // Gates reopened after the start, listed for the QC group like the overrides.
  'GET /api/v1/screening/findings': EXAMS_READ,
  'GET /api/v1/exams/{id}/acquisition': EXAMS_READ,
  'GET /api/v1/exams/{id}/acquisition/versions': EXAMS_READ,
  'PUT /api/v1/exams/{id}/acquisition': EXAMS_WORK,
  'POST /api/v1/exams/{id}/rejects': EXAMS_WORK,
  'GET /api/v1/rejects': EXAMS_READ,
  'GET /api/v1/rooms/{id}/queue': EXAMS_READ,
  'GET /api/v1/today/rooms': EXAMS_READ,
  'GET /api/v1/rooms/{id}/slots': EXAMS_READ,
  'GET /api/v1/rooms/{id}/slot-templates': EXAMS_READ,
  'PUT /api/v1/rooms/{id}/slot-templates': SCHEDULE_MANAGE,
  'GET /api/v1/closures': EXAMS_READ,
  'POST /api/v1/closures': SCHEDULE_MANAGE,
  'POST /api/v1/closures/{id}/cancel': SCHEDULE_MANAGE,

  'GET /api/v1/safety-events': SAFETY_READ,
  'POST /api/v1/safety-events': SAFETY_REPORT,
  'GET /api/v1/safety-events/summary': SAFETY_READ,
  'GET /api/v1/safety-events/{id}': SAFETY_READ,
  'POST /api/v1/safety-events/{id}/transitions': SAFETY_MANAGE,
  'POST /api/v1/safety-events/{id}/classification': SAFETY_MANAGE,
  'POST /api/v1/safety-events/{id}/written-report': SAFETY_MANAGE,
  'POST /api/v1/safety-events/{id}/feedback': SAFETY_MANAGE,
};
export { ROLES };

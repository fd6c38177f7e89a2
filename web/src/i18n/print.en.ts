// English texts of the printed documents. Same keys as print.zh-CN.ts.
import type { PrintMessages } from './print.zh-CN'

const printEn: PrintMessages = {
  print: {
    print: 'Print',
    close: 'Close',
    printedAt: 'Printed',
    loading: 'Preparing the document…',
    failed: 'The document could not be loaded',
    signature: 'Signature',
    date: 'Date',
    none: 'None',
    appointment: {
      button: 'Print appointment slip',
      title: 'Appointment slip',
      time: 'Appointment',
      place: 'Where',
      arrive: 'Please check in at the room’s desk with this slip 15 minutes before the appointment.',
      preparation: 'Before the exam',
      noPreparation: 'No special preparation.',
      change: 'To change or cancel, please call the radiology desk in advance.',
    },
    request: {
      button: 'Print request form',
      title: 'Imaging request form',
      clinical: 'Clinical information',
      physicianSign: 'Ordering physician',
    },
    consent: {
      button: 'Print consent form',
      title: 'Informed consent: {type}',
      risks: 'Purpose and possible risks',
      statement: 'I have read and understood the above; the staff have explained the purpose, risks and alternatives of the exam. I agree to the exam and accept its possible risks.',
      signer: 'Signer',
      relation: 'Relation to the patient',
      signedAt: 'Signed',
      signerSign: 'Patient or relative',
      staffSign: 'Staff who informed',
      text: {
        contrast: [
          'The exam needs an intravenous iodinated contrast agent.',
          'Most patients tolerate it; some have nausea, vomiting, rash or itching; very rarely laryngeal oedema, bronchospasm, hypotension or shock, which can be life-threatening.',
          'The agent may leak under the skin at the injection site, causing swelling and pain that may need treatment.',
          'The agent may worsen kidney function; drink plenty afterwards and tell the staff of any discomfort.',
        ],
        gadolinium: [
          'The exam needs an intravenous gadolinium contrast agent.',
          'Some patients have headache, nausea or rash; severe allergic reactions are rare.',
          'With severely reduced kidney function there is a risk of nephrogenic systemic fibrosis; kidney function has been assessed.',
        ],
        pregnancy: [
          'The patient is or may be pregnant and the exam uses ionising radiation.',
          'The physician has weighed the need for the exam and uses shielding and a reduced dose to limit the exposure of the fetus.',
          'The effect on the fetus depends on the dose and the week of pregnancy and cannot be ruled out entirely.',
        ],
        other: [
          'The exam carries some risk, which the staff have explained to the patient or relatives.',
          'Tell the staff at once of any discomfort during the exam.',
        ],
      },
    },
    safety: {
      button: 'Print report form',
      title: 'Patient safety (adverse) event report',
      reporter: 'Reporter',
      anonymous: 'Reported anonymously',
      process: 'Handling',
      reviewerSign: 'Head of department',
    },
  },
}

export default printEn

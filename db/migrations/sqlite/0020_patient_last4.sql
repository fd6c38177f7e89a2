-- Issue 14 item 10: the last four digits of a phone or identity number find the patient
-- (patient search kind last4). The search's conditions are these very expressions.
CREATE INDEX patients_phone_last4 ON patients (substr(phone, -4));
CREATE INDEX patient_documents_last4 ON patient_documents (substr(number, -4));

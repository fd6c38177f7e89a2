-- wrk script: POST one order per request (the exam and the audit entry come with it).
-- Environment: RADQS_TOKEN, RADQS_PATIENT, RADQS_ITEM, RADQS_DEPARTMENT (of the patient's site).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("RADQS_TOKEN")
wrk.body = string.format(
  '{"patient_id":%s,"item_id":%s,"ordering_department_id":%s,"ordering_physician":"赵医生",' ..
  '"clinical_history":"胸痛2小时","clinical_question":"排除主动脉夹层","patient_class":"emergency",' ..
  '"priority":"emergency"}', os.getenv("RADQS_PATIENT"), os.getenv("RADQS_ITEM"),
  os.getenv("RADQS_DEPARTMENT"))

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  for status, n in pairs(statuses) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end

# UI strings for the compliance overview and the questionnaire answer library, English.

## Compliance overview (compliance.html, the home page's block; statuses are set from code).
compliance-status-valid = Valid
compliance-status-expiring = Expiring soon
compliance-status-expired = Expired
compliance-home-title = Certifications and attestations
compliance-home-all = All certifications and their evidence
compliance-scope = Scope
compliance-body = Issued by
compliance-number = Certificate number
compliance-issued = Issued
compliance-until = until { $date }
compliance-valid-until = Valid until
compliance-days-left = { $days ->
    [one] one day left
   *[other] { $days } days left
}
compliance-expired-on = Expired on { $date }
compliance-surveillance = Surveillance audits
compliance-evidence = Evidence
compliance-evidence-certificate = Certificate or attestation
compliance-evidence-report = Audit report
compliance-request = request it
compliance-json = Machine-readable data for your tools:
compliance-none = No certifications are listed yet.

## Answer library (answers.html; the labels inside answers are set from code).
answers-topics = Topics
answers-frameworks = Frameworks
answers-evidence = Evidence
answers-reviewed = Last reviewed
answers-owner = Owner
answers-on-request = on request
answers-long = Details
answers-in-language = This answer is not yet available in your language; it is shown in { $language }.
answers-topic-path = topic
answers-framework-path = framework
answers-export-name = security-answers
answers-col-id = ID
answers-col-question = Question
answers-col-short = Short answer
answers-col-long = Answer
answers-col-topics = Topics
answers-col-frameworks = Frameworks and controls
answers-col-evidence = Evidence
answers-col-reviewed = Last reviewed
answers-col-owner = Owner
answers-col-language = Language
answers-col-url = Link
answers-filter-title = Filter the answers
answers-all = All answers
answers-exports = Download the answers
answers-export-label = { $format } ({ $language })
answers-count = { $count ->
    [one] One answer
   *[other] { $count } answers
}
answers-count-filtered = { $count } of { $total } answers: { $filter }
answers-page-title = { $filter } – { $title }

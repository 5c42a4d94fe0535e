package form

// Finding codes. They are stable: letters, the review UI and the test
// corpus refer to them.
const (
	CodePersonnummerInvalid         = "PERSONNUMMER_INVALID"
	CodeOrgnrInvalid                = "ORGNR_INVALID"
	CodePhoneInvalid                = "PHONE_INVALID"
	CodeEmailInvalid                = "EMAIL_INVALID"
	CodeDateInvalid                 = "DATE_INVALID"
	CodeDateInFuture                = "DATE_IN_FUTURE"
	CodeDateTooOld                  = "DATE_TOO_OLD"
	CodeRequiredMissing             = "REQUIRED_MISSING"
	CodeSignatureMissing            = "SIGNATURE_MISSING"
	CodeSignatoryUnknown            = "SIGNATORY_UNKNOWN"
	CodeOrdererNotRegistered        = "ORDERER_NOT_REGISTERED"
	CodeOrdererExpired              = "ORDERER_EXPIRED"
	CodeOrdererRemoved              = "ORDERER_REMOVED"
	CodeAgreementNotInForce         = "AGREEMENT_NOT_IN_FORCE"
	CodeSMSMobileMissing            = "SMS_MOBILE_MISSING"
	CodeSMSMobileInvalid            = "SMS_MOBILE_INVALID"
	CodeRolesMissing                = "ROLES_MISSING"
	CodeRoleConflictSamverkanDeltag = "ROLE_CONFLICT_SAMVERKAN_DELTAGARE"
	CodeUserOtherOrg                = "USER_OTHER_ORG"
	CodeAgreementSingleCopy         = "AGREEMENT_SINGLE_COPY"
	CodeOrderTypeMissing            = "ORDER_TYPE_MISSING"
	CodeOrdererActionMissing        = "ORDERER_ACTION_MISSING"
	CodeOrderTypeSeveral            = "ORDER_TYPE_SEVERAL"   // 9445: more than one order type ticked
	CodeLoginMethodMissing          = "LOGIN_METHOD_MISSING" // 9445: a new user with no login method
	CodeSignerNotOrderer            = "SIGNER_NOT_ORDERER"   // 9445: printed name is not the orderer named
	CodeSignerNotSignatory          = "SIGNER_NOT_SIGNATORY" // agreement: printed name is not the firmatecknare named
	CodeAgeImplausible              = "AGE_IMPLAUSIBLE"      // a user or orderer under 16 or over 100
	CodeAgreementRejected           = "AGREEMENT_REJECTED"   // 9463: the agreement it came with was rejected
	// A termination (§5) whose end date is sooner than six months after it
	// arrived, or before it arrived.
	CodeTerminationNoticeShort       = "TERMINATION_NOTICE_SHORT"
	CodeTerminationEndBeforeReceived = "TERMINATION_END_BEFORE_RECEIVED"
)

// CodeRoleConflictDeltagareOrderer is no longer raised: the rule that a
// Deltagaransvarig may not be an orderer has no source in the seeds (the
// Part decides who its orderers are). The code stays so that findings
// stored before the rule was removed can still be shown and filtered.
//
// Deprecated: no rule raises it.
const CodeRoleConflictDeltagareOrderer = "ROLE_CONFLICT_DELTAGARE_ORDERER"

// Retired lists the codes no rule raises any more. Codes keeps them so
// that stored findings still have a severity; lists offered to people
// (filters, corpus truth) leave them out.
var Retired = map[string]bool{CodeRoleConflictDeltagareOrderer: true}

// Codes lists every finding code with its severity.
var Codes = map[string]Severity{
	CodePersonnummerInvalid:          SeverityError,
	CodeOrgnrInvalid:                 SeverityError,
	CodePhoneInvalid:                 SeverityError,
	CodeEmailInvalid:                 SeverityError,
	CodeDateInvalid:                  SeverityError,
	CodeDateInFuture:                 SeverityError,
	CodeDateTooOld:                   SeverityError,
	CodeRequiredMissing:              SeverityError,
	CodeSignatureMissing:             SeverityError,
	CodeSignatoryUnknown:             SeverityError,
	CodeOrdererNotRegistered:         SeverityError,
	CodeOrdererExpired:               SeverityError,
	CodeOrdererRemoved:               SeverityError,
	CodeAgreementNotInForce:          SeverityError,
	CodeSMSMobileMissing:             SeverityError,
	CodeSMSMobileInvalid:             SeverityError,
	CodeRolesMissing:                 SeverityError,
	CodeRoleConflictSamverkanDeltag:  SeverityError,
	CodeRoleConflictDeltagareOrderer: SeverityError,
	CodeUserOtherOrg:                 SeverityWarning,
	CodeAgreementSingleCopy:          SeverityWarning,
	CodeOrderTypeMissing:             SeverityError,
	CodeOrdererActionMissing:         SeverityError,
	CodeOrderTypeSeveral:             SeverityError,
	CodeLoginMethodMissing:           SeverityError,
	CodeSignerNotOrderer:             SeverityError,
	CodeSignerNotSignatory:           SeverityError,
	CodeAgeImplausible:               SeverityError,
	CodeAgreementRejected:            SeverityError,
	CodeTerminationNoticeShort:       SeverityError,
	CodeTerminationEndBeforeReceived: SeverityError,
}

// ReportsMissing says whether a finding says something is missing from the
// form (rather than wrong on it): a request to complete may only ask for
// such a thing when a reviewer has seen on the page image that it is
// indeed missing, not merely unread.
func ReportsMissing(code string) bool {
	switch code {
	case CodeRequiredMissing, CodeSignatureMissing, CodeSMSMobileMissing, CodeLoginMethodMissing, CodeOrderTypeMissing,
		CodeRolesMissing, CodeOrdererActionMissing:
		return true
	}
	return false
}

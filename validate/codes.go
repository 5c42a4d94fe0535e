package validate

import "blankett/form"

// Finding codes. They are stable: letters, the review UI and the test
// corpus refer to them.
const (
	CodePersonnummerInvalid          = "PERSONNUMMER_INVALID"
	CodeOrgnrInvalid                 = "ORGNR_INVALID"
	CodePhoneInvalid                 = "PHONE_INVALID"
	CodeEmailInvalid                 = "EMAIL_INVALID"
	CodeDateInvalid                  = "DATE_INVALID"
	CodeDateInFuture                 = "DATE_IN_FUTURE"
	CodeDateTooOld                   = "DATE_TOO_OLD"
	CodeRequiredMissing              = "REQUIRED_MISSING"
	CodeSignatureMissing             = "SIGNATURE_MISSING"
	CodeSignatoryUnknown             = "SIGNATORY_UNKNOWN"
	CodeOrdererNotRegistered         = "ORDERER_NOT_REGISTERED"
	CodeOrdererExpired               = "ORDERER_EXPIRED"
	CodeOrdererRemoved               = "ORDERER_REMOVED"
	CodeAgreementNotInForce          = "AGREEMENT_NOT_IN_FORCE"
	CodeSMSMobileMissing             = "SMS_MOBILE_MISSING"
	CodeSMSMobileInvalid             = "SMS_MOBILE_INVALID"
	CodeRolesMissing                 = "ROLES_MISSING"
	CodeRoleConflictSamverkanDeltag  = "ROLE_CONFLICT_SAMVERKAN_DELTAGARE"
	CodeRoleConflictDeltagareOrderer = "ROLE_CONFLICT_DELTAGARE_ORDERER"
	CodeUserOtherOrg                 = "USER_OTHER_ORG"
	CodeAgreementSingleCopy          = "AGREEMENT_SINGLE_COPY"
	CodeOrderTypeMissing             = "ORDER_TYPE_MISSING"
	CodeOrdererActionMissing         = "ORDERER_ACTION_MISSING"
)

// Codes lists every finding code with its severity.
var Codes = map[string]form.Severity{
	CodePersonnummerInvalid:          form.SeverityError,
	CodeOrgnrInvalid:                 form.SeverityError,
	CodePhoneInvalid:                 form.SeverityError,
	CodeEmailInvalid:                 form.SeverityError,
	CodeDateInvalid:                  form.SeverityError,
	CodeDateInFuture:                 form.SeverityError,
	CodeDateTooOld:                   form.SeverityError,
	CodeRequiredMissing:              form.SeverityError,
	CodeSignatureMissing:             form.SeverityError,
	CodeSignatoryUnknown:             form.SeverityError,
	CodeOrdererNotRegistered:         form.SeverityError,
	CodeOrdererExpired:               form.SeverityError,
	CodeOrdererRemoved:               form.SeverityError,
	CodeAgreementNotInForce:          form.SeverityError,
	CodeSMSMobileMissing:             form.SeverityError,
	CodeSMSMobileInvalid:             form.SeverityError,
	CodeRolesMissing:                 form.SeverityError,
	CodeRoleConflictSamverkanDeltag:  form.SeverityError,
	CodeRoleConflictDeltagareOrderer: form.SeverityError,
	CodeUserOtherOrg:                 form.SeverityWarning,
	CodeAgreementSingleCopy:          form.SeverityWarning,
	CodeOrderTypeMissing:             form.SeverityError,
	CodeOrdererActionMissing:         form.SeverityError,
}

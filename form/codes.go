package form

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
	CodeAgreementRejected            = "AGREEMENT_REJECTED"
	CodeTerminationNoticeShort       = "TERMINATION_NOTICE_SHORT"
	CodeTerminationEndBeforeReceived = "TERMINATION_END_BEFORE_RECEIVED"
)

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
	CodeAgreementRejected:            SeverityError,
	CodeTerminationNoticeShort:       SeverityError,
	CodeTerminationEndBeforeReceived: SeverityError,
}

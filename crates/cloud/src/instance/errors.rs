//! The errors of the instance family, as documented: seeds 002 (ModifyInstanceNetworkSpec) and
//! 003 (ModifyInstanceSpec), and the ECS API reference for the lifecycle actions. Where two
//! actions document the same code with different words, each has its constant.

use acs_api::ErrorDef;

pub const INSTANCE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
/// The lifecycle actions' wording.
pub const INCORRECT_INSTANCE_STATUS: ErrorDef = ErrorDef::new(
    403,
    "IncorrectInstanceStatus",
    "The current status of the resource does not support this operation.",
);
pub const INSTANCE_INITIALIZING: ErrorDef = ErrorDef::new(
    403,
    "IncorrectInstanceStatus.Initializing",
    "The specified instance status does not support this operation.",
);
pub const LOCKED_FOR_SECURITY: ErrorDef = ErrorDef::new(
    403,
    "InstanceLockedForSecurity",
    "The specified operation is denied as your instance is locked for security reasons.",
);
pub const EXPIRED_OR_IN_ARREARS: ErrorDef = ErrorDef::new(
    403,
    "InstanceExpiredOrInArrears",
    "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).",
);
pub const PREPAID_EXPIRED: ErrorDef = ErrorDef::new(403, "InstanceExpired", "The prePaid instance has been expired.");
pub const CHARGE_TYPE_VIOLATION: ErrorDef =
    ErrorDef::new(403, "ChargeTypeViolation", "The operation is not permitted due to charge type of the instance.");
pub const ROUTE_ENTRY_DEPENDS: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.RouteEntry", "Specified instance is used by route entry.");

// CreateInstance / RunInstances
pub const VSWITCH_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVSwitchId.NotFound", "Specified virtual switch does not exist.");
pub const ZONE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidZoneId.NotFound", "The specified zoneId does not exist.");
pub const INSTANCE_TYPE_NOT_SUPPORTED: ErrorDef = ErrorDef::new(
    400,
    "InvalidInstanceType.ValueNotSupported",
    "The specified InstanceType does not exist or beyond the permitted range.",
);
pub const ARREARAGE_RUN: ErrorDef = ErrorDef::new(400, "Account.Arrearage", "Your account has been in arrears.");
pub const SECURITY_GROUP_MISMATCH: ErrorDef = ErrorDef::new(
    400,
    "InvalidParameter.Mismatch",
    "Specified security group and virtual switch are not in the same VPC.",
);
pub const ZONE_MISMATCH: ErrorDef =
    ErrorDef::new(400, "InvalidParameter.Mismatch", "Specified virtual switch is not in the specified zone.");
pub const PRIVATE_IP_NOT_IN_VSWITCH: ErrorDef = ErrorDef::new(
    400,
    "InvalidPrivateIpAddress",
    "Specified private IP address is not in the CIDR block of virtual switch.",
);
pub const PRIVATE_IP_DUPLICATED: ErrorDef =
    ErrorDef::new(400, "InvalidPrivateIpAddress.Duplicated", "Specified private IP address is duplicated.");
pub const NO_PRIVATE_IP: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.PrivateIpAddress", "Don't have enough private IPs in this switch");
pub const PERIOD_MISSING: ErrorDef =
    ErrorDef::new(400, "MissingParamter", "The specified parameter \"Period\" is not null.");
pub const INVALID_PERIOD: ErrorDef = ErrorDef::new(400, "InvalidPeriod", "The specified period is not valid.");
pub const VPC_NOT_READY_CREATE: ErrorDef =
    ErrorDef::new(403, "IncorrectVpcStatus", "Current VPC status does not support this operation.");
pub const VPC_NOT_READY_RUN: ErrorDef =
    ErrorDef::new(400, "IncorrectVpcStatus", "Current VPC status does not support this operation.");
pub const INVALID_MIN_AMOUNT: ErrorDef =
    ErrorDef::new(400, "InvalidMinAmount.Malformed", "The specified parameter MinAmount is not valid.");

// AllocatePublicIpAddress
pub const ALLOCATED_ALREADY: ErrorDef =
    ErrorDef::new(403, "AllocatedAlready", "There is an IpAddress allocated already for the specified instance.");
pub const ZERO_BANDWIDTH: ErrorDef = ErrorDef::new(
    400,
    "AllocateIpInvalidInstanceBandwidth",
    "OperationDenied The InternetMaxBandwidthOut of the specified instance cannot be less than 0.",
);
pub const INSUFFICIENT_PUBLIC_IP: ErrorDef = ErrorDef::new(400, "InsufficientPublicIp", "Ip address not found");

// DescribeResourcesModification
pub const RESOURCE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidResourceId.NotFound", "The specified ResourceId is not found in our records");

// ModifyInstanceNetworkSpec (seed 002)
pub const NET_INCORRECT_STATUS: ErrorDef = ErrorDef::new(
    403,
    "IncorrectInstanceStatus",
    "The current status of the instance does not support this operation.",
);
pub const NET_CHARGE_TYPE_VIOLATION: ErrorDef =
    ErrorDef::new(403, "ChargeTypeViolation", "The operation is not permitted due to billing method of the instance.");
pub const NET_DENIED_PREPAID: ErrorDef =
    ErrorDef::new(403, "OperationDenied", "The operation is denied due to the instance is PrePaid.");
pub const NET_BANDWIDTH: ErrorDef = ErrorDef::new(400, "InvalidParameter.Bandwidth", "%s");
pub const NET_CONFLICT: ErrorDef = ErrorDef::new(400, "InvalidParameter.Conflict", "%s");
pub const NET_START_TIME: ErrorDef = ErrorDef::new(400, "InvalidStartTime.ValueNotSupported", "%s");
pub const NET_IN_RANGE: ErrorDef = ErrorDef::new(
    400,
    "InvalidInternetMaxBandwidthIn.ValueNotSupported",
    "The specified InternetMaxBandwidthIn is beyond the permitted range.",
);
pub const NET_DECREASE_DENIED: ErrorDef = ErrorDef::new(400, "DecreasedBandwidthNotAllowed", "%s");
pub const NET_UNPAID_INSTANCE: ErrorDef =
    ErrorDef::new(403, "InvalidInstance.UnPaidOrder", "The specified Instance has unpaid order.");
pub const NET_UNPAID_ACCOUNT: ErrorDef = ErrorDef::new(
    400,
    "InvalidInstance.UnPaidOrder",
    "Unpaid order exists in your account, please complete or cancel the payment in the expense center.",
);
pub const NET_EIP_TEMPORARY: ErrorDef = ErrorDef::new(
    400,
    "BandwidthUpgradeDenied.EipBoundInstance",
    "The specified VPC instance has bound EIP, temporary bandwidth upgrade is denied.",
);
pub const NET_EIP_BANDWIDTH: ErrorDef =
    ErrorDef::new(403, "InvalidInstance.InstanceNotSupported", "The special vpc instance with eip not need bandwidth.");
pub const NET_EIP_BOUND: ErrorDef = ErrorDef::new(
    403,
    "InvalidInstance.EipNotSupport",
    "The specified instance with eip is not supported, please unassociate eip first.",
);
pub const NET_THROTTLING: ErrorDef =
    ErrorDef::new(400, "Throttling", "Request was denied due to request throttling, please try again after 5 minutes.");
pub const NET_ALLOCATE_PUBLIC_IP: ErrorDef =
    ErrorDef::new(400, "InvalidParam.AllocatePublicIp", "The specified param AllocatePublicIp is invalid.");
pub const NET_DOWNGRADE_QUOTA: ErrorDef =
    ErrorDef::new(400, "InstanceDowngrade.QuotaExceed", "Quota of instance downgrade is exceed.");
pub const NET_TEMPORARY_BELOW_CURRENT: ErrorDef = ErrorDef::new(
    400,
    "InvalidBandwidth.ValueNotSupported",
    "Instance upgrade bandwidth of temporary not allow less then existed.",
);
pub const NET_INVALID_INSTANCE_STATUS: ErrorDef =
    ErrorDef::new(400, "InvalidInstanceStatus", "The specified instance status does not support this action.");
pub const NET_IP_ALLOCATION: ErrorDef = ErrorDef::new(400, "IpAllocationError", "Allocate public ip failed.");

// ModifyInstanceSpec (seed 003)
pub const SPEC_LOCKED: ErrorDef = ErrorDef::new(
    403,
    "InstanceLockedForSecurity",
    "The input parameter InstanceId that is mandatory for processing this security reasons.",
);
pub const SPEC_TYPE_DEPENDENCY: ErrorDef = ErrorDef::new(
    400,
    "DependencyViolation.InstanceType",
    "The current InstanceType cannot be changed to the specified InstanceType.",
);
pub const SPEC_UNPAID: ErrorDef =
    ErrorDef::new(400, "InvalidInstance.UnpaidOrder", "The specified instance has unpaid order.");
pub const SPEC_TYPE_NOT_SUPPORTED: ErrorDef =
    ErrorDef::new(400, "InvalidInstanceType.ValueNotSupported", "The specified InstanceType is not supported.");
pub const SPEC_CHARGE_TYPE: ErrorDef =
    ErrorDef::new(400, "InvalidInternetChargeType.ValueNotSupported", "The specified InternetChargeType is not valid.");
pub const SPEC_BANDWIDTH: ErrorDef =
    ErrorDef::new(400, "InvalidParameter.Bandwidth", "The specified parameter Bandwidth is not valid.");
pub const SPEC_MISMATCH: ErrorDef =
    ErrorDef::new(400, "InvalidParameter.Mismatch", "Too many parameters in one request.");
pub const SPEC_RESOURCE_STATUS: ErrorDef = ErrorDef::new(
    400,
    "InvalidStatus.ValueNotSupported",
    "The current status of the resource does not support this operation.",
);
pub const SPEC_INSTANCE_STATUS: ErrorDef =
    ErrorDef::new(400, "InvalidStatus.ValueNotSupported", "The instance cannot be modified in the specified status.");
pub const SPEC_IN_VPC: ErrorDef = ErrorDef::new(400, "OperationDenied", "The specified instance is in VPC.");
pub const SPEC_THROTTLING: ErrorDef = ErrorDef::new(
    400,
    "Throttling",
    "You have made too many requests within a short time; your request is denied due to request throttling.",
);
pub const SPEC_NOT_STOPPED: ErrorDef =
    ErrorDef::new(400, "InvalidInstanceStatus.NotStopped", "The specified Instance status is not stopped.");
pub const SPEC_CHARGE_TYPE_VIOLATION: ErrorDef = CHARGE_TYPE_VIOLATION;

pub const ERRORS: &[ErrorDef] = &[
    INSTANCE_NOT_FOUND,
    INCORRECT_INSTANCE_STATUS,
    INSTANCE_INITIALIZING,
    LOCKED_FOR_SECURITY,
    EXPIRED_OR_IN_ARREARS,
    PREPAID_EXPIRED,
    CHARGE_TYPE_VIOLATION,
    ROUTE_ENTRY_DEPENDS,
    VSWITCH_NOT_FOUND,
    ZONE_NOT_FOUND,
    INSTANCE_TYPE_NOT_SUPPORTED,
    ARREARAGE_RUN,
    SECURITY_GROUP_MISMATCH,
    ZONE_MISMATCH,
    PRIVATE_IP_NOT_IN_VSWITCH,
    PRIVATE_IP_DUPLICATED,
    NO_PRIVATE_IP,
    PERIOD_MISSING,
    INVALID_PERIOD,
    VPC_NOT_READY_CREATE,
    VPC_NOT_READY_RUN,
    INVALID_MIN_AMOUNT,
    ALLOCATED_ALREADY,
    ZERO_BANDWIDTH,
    INSUFFICIENT_PUBLIC_IP,
    RESOURCE_NOT_FOUND,
    NET_INCORRECT_STATUS,
    NET_CHARGE_TYPE_VIOLATION,
    NET_DENIED_PREPAID,
    NET_BANDWIDTH,
    NET_CONFLICT,
    NET_START_TIME,
    NET_IN_RANGE,
    NET_DECREASE_DENIED,
    NET_UNPAID_INSTANCE,
    NET_UNPAID_ACCOUNT,
    NET_THROTTLING,
    NET_EIP_TEMPORARY,
    NET_EIP_BANDWIDTH,
    NET_EIP_BOUND,
    NET_ALLOCATE_PUBLIC_IP,
    NET_DOWNGRADE_QUOTA,
    NET_TEMPORARY_BELOW_CURRENT,
    NET_INVALID_INSTANCE_STATUS,
    NET_IP_ALLOCATION,
    SPEC_LOCKED,
    SPEC_TYPE_DEPENDENCY,
    SPEC_UNPAID,
    SPEC_TYPE_NOT_SUPPORTED,
    SPEC_CHARGE_TYPE,
    SPEC_BANDWIDTH,
    SPEC_MISMATCH,
    SPEC_RESOURCE_STATUS,
    SPEC_INSTANCE_STATUS,
    SPEC_IN_VPC,
    SPEC_THROTTLING,
    SPEC_NOT_STOPPED,
];

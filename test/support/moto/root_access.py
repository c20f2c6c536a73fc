"""Centralized root access for the moto server (server.py), which moto lacks:

  iam:ListOrganizationsFeatures, iam:Enable/DisableOrganizationsRootCredentialsManagement,
  iam:Enable/DisableOrganizationsRootSessions, sts:AssumeRoot, and what a root session may do with the
  IAM root-task policies: read and delete the member root's password, access keys and signing
  certificates, and deactivate its MFA devices (the root's state lives in server.py's ROOTS).

Modelled on the IAM and STS API references:
- the organization features need the caller's organization (OrganizationNotFound), all features
  (OrganizationNotInAllFeaturesMode), the management account or IAM's delegated administrator
  (AccountNotManagementOrDelegatedAdministrator; enabling and disabling: the management account,
  CallerIsNotManagementAccount) and IAM's trusted access in Organizations (ServiceAccessNotEnabled);
- AssumeRoot: from the management account or IAM's delegated administrator, on a member account
  (never the management account), with one of the root-task policies, for at most 900 seconds. The IAM
  credential tasks need RootCredentialsManagement, the S3 and SQS unlocks RootSessions. The session's
  credentials act as the member's root, and only for the actions of their task policy (AccessDenied
  otherwise, ExpiredToken after the duration).
"""

import random
import string
import threading
from datetime import timedelta

from moto.core.exceptions import AccessDeniedError
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.iam.exceptions import IAMException
from moto.iam.models import iam_backends
from moto.iam.responses import IamResponse
from moto.organizations import models as org_models
from moto.organizations.models import organizations_backends
from moto.sts.exceptions import STSClientError
from moto.sts.responses import TokenResponse

IAM_PRINCIPAL = "iam.amazonaws.com"
CREDENTIALS_MANAGEMENT = "RootCredentialsManagement"
ROOT_SESSIONS = "RootSessions"
MAX_ROOT_SESSION_SECONDS = 900

# The AWS managed root-task policies: the feature each needs, and the actions a session scoped to it may take.
_ROOT_READS = ["iam:GetAccessKeyLastUsed", "iam:GetLoginProfile", "iam:GetUser", "iam:ListAccessKeys",
               "iam:ListMFADevices", "iam:ListSigningCertificates"]
TASK_POLICIES = {
    "IAMAuditRootUserCredentials": (CREDENTIALS_MANAGEMENT, _ROOT_READS),
    "IAMCreateRootUserPassword": (CREDENTIALS_MANAGEMENT, ["iam:CreateLoginProfile", "iam:GetLoginProfile"]),
    "IAMDeleteRootUserCredentials": (CREDENTIALS_MANAGEMENT, _ROOT_READS + [
        "iam:DeleteLoginProfile", "iam:DeleteAccessKey", "iam:DeleteSigningCertificate",
        "iam:DeactivateMFADevice"]),
    "S3UnlockBucketPolicy": (ROOT_SESSIONS, ["s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:ListAllMyBuckets"]),
    "SQSUnlockQueuePolicy": (ROOT_SESSIONS, ["sqs:GetQueueAttributes", "sqs:ListQueues", "sqs:SetQueueAttributes"]),
}

LOCK = threading.RLock()
FEATURES = {}   # organization id -> set of enabled features
SESSIONS = {}   # access key id -> {"accountId", "task", "expires"}
_root_state = [None]  # server.py's accessor: account id -> the root's mutable settings


def clear_state():
    with LOCK:
        FEATURES.clear()
        SESSIONS.clear()


def _random(n, alphabet=string.ascii_uppercase + string.digits):
    return "".join(random.choice(alphabet) for _ in range(n))


# --- the organization behind a request ------------------------------------------------------


def _organization_of(account_id, partition):
    """(the organization's backend, the organization) the account belongs to, or (None, None)."""
    own = organizations_backends[account_id][partition]
    if own.org:
        return own, own.org
    owner = organizations_backends.master_accounts.get(account_id)
    if owner:
        backend = organizations_backends[owner[0]][owner[1]]
        return backend, backend.org
    return None, None


def _delegated_iam_admin(backend, account_id):
    return any(a.account.id == account_id and IAM_PRINCIPAL in a.services for a in backend.admins)


def _check_organization(account_id, partition, management_only=False):
    backend, org = _organization_of(account_id, partition)
    if org is None:
        raise IAMException("OrganizationNotFound", "No organization is associated with your account.")
    is_management = org.master_account_id == account_id
    if management_only and not is_management:
        raise IAMException("CallerIsNotManagementAccount",
                           "The account making the request is not the management account of the organization.")
    if not is_management and not _delegated_iam_admin(backend, account_id):
        raise IAMException(
            "AccountNotManagementOrDelegatedAdministrator",
            "The account making the request is not the management account or delegated administrator account "
            "for centralized root access.")
    if org.feature_set != "ALL":
        raise IAMException("OrganizationNotInAllFeaturesMode", "Your organization does not have All features enabled.")
    if not any(s["ServicePrincipal"] == IAM_PRINCIPAL for s in backend.services):
        raise IAMException("ServiceAccessNotEnabled",
                           "Trusted access is not enabled for IAM in AWS Organizations.")
    return backend, org


def _features_result(org):
    with LOCK:
        enabled = sorted(FEATURES.get(org.id, set()))
    return ActionResult({"OrganizationId": org.id, "EnabledFeatures": enabled})


def list_organizations_features(self):
    _, org = _check_organization(self.current_account, self.partition)
    return _features_result(org)


def _switch(feature, on):
    def handler(self):
        _, org = _check_organization(self.current_account, self.partition, management_only=True)
        with LOCK:
            features = FEATURES.setdefault(org.id, set())
            if on:
                features.add(feature)
            else:
                features.discard(feature)
        return _features_result(org)
    return handler


# --- sts:AssumeRoot -------------------------------------------------------------------------


class AccessDenied(AccessDeniedError):
    """AccessDenied with HTTP 403, as AWS answers it, and our own message."""

    def __init__(self, message):
        super(AccessDeniedError, self).__init__("AccessDenied", message)


class ValidationError(STSClientError):
    def __init__(self, message):
        super().__init__("ValidationError", message)


def assume_root(self):
    caller = self.current_account
    target = str(self._get_param("TargetPrincipal") or "")
    task_arn = self._get_param("TaskPolicyArn.arn") or self._get_param("TaskPolicyArn", {}).get("arn", "")
    duration = self._get_int_param("DurationSeconds", MAX_ROOT_SESSION_SECONDS)
    if duration < 0 or duration > MAX_ROOT_SESSION_SECONDS:
        raise ValidationError(f"DurationSeconds must be between 0 and {MAX_ROOT_SESSION_SECONDS}.")
    prefix = f"arn:{self.partition}:iam::aws:policy/root-task/"
    task = task_arn[len(prefix):] if task_arn.startswith(prefix) else None
    if task not in TASK_POLICIES:
        raise ValidationError(f"TaskPolicyArn must be one of {', '.join(prefix + t for t in TASK_POLICIES)}.")
    # The member account principal ARN (arn:…:iam::ACCOUNT:root) or account ID.
    account = target.split(":")[4] if target.startswith("arn:") and target.count(":") >= 5 else target
    if not (len(account) == 12 and account.isdigit()):
        raise ValidationError(f"TargetPrincipal {target!r} is not an account ID or a member account principal ARN.")
    try:
        backend, org = _check_organization(caller, self.partition)
    except IAMException as err:
        raise AccessDenied(f"AssumeRoot is not allowed for account {caller}: {err.message}") from err
    if account == org.master_account_id:
        raise AccessDenied("AssumeRoot cannot target the management account of the organization.")
    if not any(a.id == account for a in backend.accounts):
        raise AccessDenied(f"Account {account} is not a member of organization {org.id}.")
    feature = TASK_POLICIES[task][0]
    with LOCK:
        if feature not in FEATURES.get(org.id, set()):
            raise AccessDenied(f"{task} needs the organization feature {feature}, which is not enabled.")
    key = iam_backends[account][self.partition].create_temp_access_key()
    expires = utcnow() + timedelta(seconds=duration)
    with LOCK:
        SESSIONS[key.access_key_id] = {"accountId": account, "task": task, "expires": expires}
    return ActionResult({
        "Credentials": {
            "AccessKeyId": key.access_key_id,
            "SecretAccessKey": key.secret_access_key,
            "SessionToken": "FwoGZXIvYXdzE" + _random(180, string.ascii_letters + string.digits),
            "Expiration": expires,
        },
    })


def session_denial(access_key, service, action):
    """(code, status, message) when a root session may not make this call, else None."""
    with LOCK:
        session = SESSIONS.get(access_key)
    if session is None or f"{service}:{action}" == "sts:GetCallerIdentity":
        return None
    if utcnow() > session["expires"]:
        return "ExpiredToken", 400, "The security token included in the request is expired"
    if f"{service}:{action}" not in TASK_POLICIES[session["task"]][1]:
        return ("AccessDenied", 403,
                f"User: arn:aws:iam::{session['accountId']}:root is not authorized to perform: {service}:{action} "
                f"because no session policy allows the {service}:{action} action")
    return None


# --- IAM calls in a root session: UserName left out names the root user ---------------------


def _session(response):
    with LOCK:
        return SESSIONS.get(response.get_access_key())


def _no_such(what):
    return IAMException("NoSuchEntity", f"{what} for the root user cannot be found.")


def _for_root(method):
    """Runs `handler(response, root)` for a root session's call without UserName, else moto's own method."""
    def decorate(handler):
        def wrapper(self):
            if _session(self) is None or self._get_param("UserName"):
                return method(self)
            with LOCK:
                return handler(self, _root_state[0](self.current_account))
        return wrapper
    return decorate


def _sync(root):
    root["passwordPresent"] = bool(root["passwordPresent"])
    root["accessKeysPresent"] = bool(root["accessKeys"])
    root["signingCertificatesPresent"] = bool(root["signingCertificates"])


def _delete_one(root, kind, item_id, what):
    if not any(item["id"] == item_id for item in root[kind]):
        raise _no_such(f"{what} with id {item_id}")
    root[kind] = [item for item in root[kind] if item["id"] != item_id]
    _sync(root)
    return EmptyResult()


def _mfa_devices(response, root):
    if not root["mfaActive"]:
        return []
    account = response.current_account
    if root["virtualMfaSerial"]:
        serial = root["virtualMfaSerial"]
    elif root.get("mfaKind") == "passkey":
        serial = f"arn:{response.partition}:iam::{account}:u2f/root/passkey-{account[-6:]}"
    else:
        serial = f"GAHT{account[-8:]}"
    return [{"UserName": account, "SerialNumber": serial, "EnableDate": root["setAt"]}]


def install(root_state):
    _root_state[0] = root_state
    org_models.FakeServiceAccess.TRUSTED_SERVICES.append(IAM_PRINCIPAL)
    org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES.append(IAM_PRINCIPAL)
    IamResponse.list_organizations_features = list_organizations_features
    IamResponse.enable_organizations_root_credentials_management = _switch(CREDENTIALS_MANAGEMENT, True)
    IamResponse.disable_organizations_root_credentials_management = _switch(CREDENTIALS_MANAGEMENT, False)
    IamResponse.enable_organizations_root_sessions = _switch(ROOT_SESSIONS, True)
    IamResponse.disable_organizations_root_sessions = _switch(ROOT_SESSIONS, False)
    TokenResponse.assume_root = assume_root

    @_for_root(IamResponse.get_login_profile)
    def get_login_profile(self, root):
        if not root["passwordPresent"]:
            raise _no_such("Login Profile")
        return ActionResult({"LoginProfile": {"UserName": self.current_account, "CreateDate": root["createDate"],
                                              "PasswordResetRequired": False}})

    @_for_root(IamResponse.delete_login_profile)
    def delete_login_profile(self, root):
        if not root["passwordPresent"]:
            raise _no_such("Login Profile")
        root.update(passwordPresent=False, passwordLastUsed=None)
        return EmptyResult()

    @_for_root(IamResponse.list_access_keys)
    def list_access_keys(self, root):
        return ActionResult({"AccessKeyMetadata": [
            {"AccessKeyId": k["id"], "Status": "Active", "CreateDate": k["created"]} for k in root["accessKeys"]],
            "IsTruncated": False})

    @_for_root(IamResponse.delete_access_key)
    def delete_access_key(self, root):
        return _delete_one(root, "accessKeys", self._get_param("AccessKeyId"), "The Access Key")

    @_for_root(IamResponse.list_signing_certificates)
    def list_signing_certificates(self, root):
        return ActionResult({"Certificates": [
            {"UserName": self.current_account, "CertificateId": c["id"], "CertificateBody": c["body"],
             "Status": "Active", "UploadDate": c["created"]} for c in root["signingCertificates"]],
            "IsTruncated": False})

    @_for_root(IamResponse.delete_signing_certificate)
    def delete_signing_certificate(self, root):
        return _delete_one(root, "signingCertificates", self._get_param("CertificateId"), "The Certificate")

    @_for_root(IamResponse.list_mfa_devices)
    def list_mfa_devices(self, root):
        return ActionResult({"MFADevices": _mfa_devices(self, root), "IsTruncated": False})

    @_for_root(IamResponse.deactivate_mfa_device)
    def deactivate_mfa_device(self, root):
        serial = self._get_param("SerialNumber")
        if not any(d["SerialNumber"] == serial for d in _mfa_devices(self, root)):
            raise _no_such(f"MFA Device {serial}")
        # A virtual device stays in the account, unassigned; the root no longer has it.
        root.update(mfaActive=False, virtualMfaSerial=None)
        return EmptyResult()

    for name, handler in [("get_login_profile", get_login_profile), ("delete_login_profile", delete_login_profile),
                          ("list_access_keys", list_access_keys), ("delete_access_key", delete_access_key),
                          ("list_signing_certificates", list_signing_certificates),
                          ("delete_signing_certificate", delete_signing_certificate),
                          ("list_mfa_devices", list_mfa_devices), ("deactivate_mfa_device", deactivate_mfa_device)]:
        setattr(IamResponse, name, handler)

    _moto_caller_identity = TokenResponse.get_caller_identity

    def get_caller_identity(self):
        session = _session(self)
        if session is None:
            return _moto_caller_identity(self)
        account = session["accountId"]
        return ActionResult({"UserId": account, "Account": account, "Arn": f"arn:{self.partition}:iam::{account}:root"})

    TokenResponse.get_caller_identity = get_caller_identity

#!/usr/bin/env python3
"""moto in server mode, plus what the mfa-bot tests need that moto lacks.

    python3 test/support/moto/server.py --host 127.0.0.1 --port 5000

Extensions (all state is cleared by moto's own POST /moto-api/reset):
  POST /_mfa_bot/root        the account's root user (credential report row,
                             GetAccountSummary, a virtual MFA device assigned to root)
  POST /_mfa_bot/user-dates  an IAM user's creation / password dates
  POST /_mfa_bot/fail        make the next N requests for an Action fail with an AWS error
                             (optionally only one service's, or one account's by access key)
  POST /_mfa_bot/report      credential report readiness (in progress, not present, expired)
  POST /_mfa_bot/clock       the time new credential reports, and access key uses, are stamped with
                             ({"now": iso} or {} for real time)
  GET  /_mfa_bot/calls       request counts by service and Action; POST /_mfa_bot/calls/reset
Centralized root access (root_access.py): iam:ListOrganizationsFeatures and the switches of its two
features, sts:AssumeRoot, and the root-task sessions that read and delete a member root's credentials.
Moto's credential report is also rebuilt so its values match AWS's (see _user_row).
"""

import argparse
import io
import json
import logging
import os
import signal
import sys
import threading
import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

try:
    import root_access
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.iam.exceptions import IAMException
    import moto.iam.models as iam_models
    from moto.iam.models import AccessKeyLastUsed, IAMBackend, get_account_id_from, iam_backends
    from moto.iam.responses import IamResponse
    from moto.moto_api._internal.models import MotoAPIBackend
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple
    from werkzeug.wrappers import Request, Response
except ImportError as err:  # the Node launcher recognises exit code 3
    print(f"mfa-bot moto launcher: cannot import moto server mode ({err}). "
          "Install it with: pip install 'moto[server]'", file=sys.stderr)
    sys.exit(3)

DATE = "%Y-%m-%dT%H:%M:%S+00:00"  # the credential report's ISO 8601 form
REPORT_COLUMNS = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,"
    "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
    "access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,"
    "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
)
REPORT_MAX_AGE = timedelta(hours=4)  # AWS regenerates a report at most this often

# --- state: per account id, cleared on reset ------------------------------------------------

LOCK = threading.RLock()
ROOTS = {}     # account id -> root settings (absent: the default root, see _root)
REPORTS = {}   # account id -> credential report state (see _report)
FAILURES = []  # pending injected failures, in the order they were added
CALLS = defaultdict(lambda: defaultdict(int))  # service -> Action -> count
EPOCH = [utcnow()]  # default "account creation" time: server start or last reset
CLOCK = [None]      # the tests' clock for report generation; None: real time


def _clear_state():
    with LOCK:
        ROOTS.clear()
        REPORTS.clear()
        FAILURES.clear()
        CALLS.clear()
        EPOCH[0] = utcnow()
        CLOCK[0] = None
    root_access.clear_state()


def _report_now():
    return CLOCK[0] or utcnow()


def _default_root():
    return {
        "exists": True, "partition": None, "passwordPresent": True,
        "accessKeysPresent": False, "accessKeys": [], "signingCertificatesPresent": False,
        "signingCertificates": [], "mfaActive": False, "mfaKind": None, "virtualMfaSerial": None,
        "createDate": EPOCH[0], "passwordLastUsed": None, "setAt": EPOCH[0],
    }


def _root(account_id):
    """The root user's settings. Every AWS account has a root user, so an account nobody
    configured gets the defaults: password, no access keys, no MFA."""
    with LOCK:
        return ROOTS.get(account_id) or _default_root()


def _root_for_change(account_id):
    """The root's settings, kept from now on, for a root session to change."""
    with LOCK:
        return ROOTS.setdefault(account_id, _default_root())


def _report(account_id):
    with LOCK:
        return REPORTS.setdefault(account_id, {
            "generatedAt": None,  # None: no report yet (ReportNotPresent)
            "pollsLeft": 0,       # in-progress answers still to give
            "inProgress": False,
            "started": False,     # STARTED already answered for this generation
            "expired": False,
        })


def _parse_date(value):
    """ISO 8601 (JavaScript's toISOString included) -> naive UTC, as moto stores dates."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _fmt(value):
    return value.strftime(DATE) if value else "N/A"


# --- IAM patches ----------------------------------------------------------------------------


def _root_arn(response, root):
    return f"arn:{root['partition'] or response.partition}:iam::{response.current_account}:root"


def _root_row(response, root):
    # AWS's root row: password_enabled, password_last_changed and password_next_rotation are
    # always not_supported; certificates and unused key columns are N/A.
    keys = root["accessKeysPresent"]
    if root["passwordLastUsed"]:
        last_used = _fmt(root["passwordLastUsed"])
    else:
        last_used = "no_information" if root["passwordPresent"] else "N/A"
    return [
        "<root_account>", _root_arn(response, root), _fmt(root["createDate"]),
        "not_supported", last_used, "not_supported", "not_supported",
        "true" if root["mfaActive"] else "false",
        "true" if keys else "false", _fmt(root["createDate"]) if keys else "N/A", "N/A", "N/A", "N/A",
        "false", "N/A", "N/A", "N/A", "N/A",
        *_root_cert_columns(root),
    ]


def _root_cert_columns(root):
    certs = list(root["signingCertificates"]) + [None, None]
    columns = []
    for cert in certs[:2]:
        columns += ["true" if cert else "false", _fmt(cert["created"]) if cert else "N/A"]
    return columns


def _key_columns(key):
    if key is None:
        return ["false", "N/A", "N/A", "N/A", "N/A"]
    used = key.last_used  # AccessKeyLastUsed (timestamp, region, service) or None
    return [
        "true" if key.status == "Active" else "false",
        _fmt(key.create_date),
        used.strftime(DATE) if used else "N/A",
        getattr(used, "region", None) or "N/A",
        getattr(used, "service", None) or "N/A",
    ]


def _user_row(user, policy):
    # Replaces moto's User.to_csv, which deviates from AWS: it gives password_last_used
    # not_supported (AWS: N/A) to users without a password, password_last_changed the
    # creation time even without a password, password_next_rotation and key last-used
    # region/service not_supported (AWS: N/A), and cert_N_last_rotated always N/A.
    has_password = bool(user.password)
    changed = getattr(user, "mfa_bot_password_changed", None) or user.create_date
    rotation = "N/A"
    if has_password and policy is not None and policy.expire_passwords:
        rotation = _fmt(changed + timedelta(days=policy.max_password_age))
    if has_password:
        last_used = _fmt(user.password_last_used) if user.password_last_used else "no_information"
    else:
        last_used = "N/A"
    keys = list(user.access_keys) + [None, None]
    certs = list(user.signing_certificates.values()) + [None, None]
    row = [
        user.name, user.arn, _fmt(user.create_date),
        "true" if has_password else "false", last_used,
        _fmt(changed) if has_password else "N/A", rotation,
        "true" if user.mfa_devices else "false",
        *_key_columns(keys[0]), *_key_columns(keys[1]),
    ]
    for cert in certs[:2]:
        row += ["true" if cert and cert.status == "Active" else "false",
                _fmt(cert.upload_date) if cert else "N/A"]
    return row


def generate_credential_report(self):
    with LOCK:
        rep = _report(self.current_account)
        now = _report_now().replace(microsecond=0)
        if rep["inProgress"]:
            if rep["pollsLeft"] > 0:
                rep["pollsLeft"] -= 1
                state = "INPROGRESS" if rep["started"] else "STARTED"
                rep["started"] = True
                return ActionResult({"State": state})
            rep["inProgress"] = False
            rep["generatedAt"] = now
            return ActionResult({"State": "COMPLETE"})
        if rep["generatedAt"] is None or rep["expired"] or now - rep["generatedAt"] > REPORT_MAX_AGE:
            # Like moto, a new report is ready at once; STARTED tells the caller it is new.
            rep.update(generatedAt=now, expired=False)
            return ActionResult({
                "State": "STARTED",
                "Description": "No report exists. Starting a new report generation task",
            })
        return ActionResult({"State": "COMPLETE"})


def get_credential_report(self):
    with LOCK:
        rep = dict(_report(self.current_account))
    # Raised as moto.iam's exception class: moto looks the code up in the service model of
    # the exception's package, which gives the modelled HTTP status (404 / 410).
    if rep["inProgress"]:
        raise IAMException("ReportInProgress", "Credential report is being generated. Try again later.")
    if rep["expired"]:
        raise IAMException(
            "ReportExpired",
            "The most recent credential report has expired. Call GenerateCredentialReport to generate a new one.")
    if rep["generatedAt"] is None:
        raise IAMException("ReportNotPresent", "Credential report not present")
    backend = self.backend
    rows = [REPORT_COLUMNS.split(",")]
    root = _root(self.current_account)
    # Centralized root access (exists false) keeps the row, as AWS does, with no credentials.
    rows.append(_root_row(self, root))
    rows += [_user_row(user, backend.account_password_policy) for user in backend.users.values()]
    return ActionResult({
        "Content": "".join(",".join(row) + "\n" for row in rows),
        "ReportFormat": "text/csv",
        # moto answers a constant 2015-02-02T20:02:02Z; AWS gives the generation time.
        "GeneratedTime": rep["generatedAt"],
    })


_moto_get_account_summary = IamResponse.get_account_summary


def get_account_summary(self):
    result = _moto_get_account_summary(self)
    summary = result.result["SummaryMap"]  # moto has no root, so these are always 0 there
    root = _root(self.current_account)
    summary["AccountMFAEnabled"] = int(root["mfaActive"])
    summary["AccountPasswordPresent"] = int(root["passwordPresent"])
    summary["AccountAccessKeysPresent"] = int(root["accessKeysPresent"])
    summary["AccountSigningCertificatesPresent"] = int(root["signingCertificatesPresent"])
    if root["virtualMfaSerial"]:
        summary["MFADevices"] += 1
        summary["MFADevicesInUse"] += 1
    return result


def list_virtual_mfa_devices(self):
    # Reimplemented rather than wrapped: the root device has to take part in the filtering and
    # paging, and moto's own paging reports IsTruncated when a page is exactly full.
    status = self._get_param("AssignmentStatus", "Any")
    start = int(self._get_param("Marker") or 0)
    max_items = int(self._get_param("MaxItems", 100))
    devices = list(self.backend.virtual_mfa_devices.values())
    if status == "Assigned":
        devices = [d for d in devices if d.enable_date]
    elif status == "Unassigned":
        devices = [d for d in devices if not d.enable_date]
    root = _root(self.current_account)
    if root["virtualMfaSerial"] and status != "Unassigned":
        # What AWS shows for root: the account id as UserId, the :root ARN, no UserName.
        devices.insert(0, {
            "SerialNumber": root["virtualMfaSerial"],
            "User": {"Path": "/", "UserId": self.current_account, "Arn": _root_arn(self, root),
                     "CreateDate": root["createDate"]},
            "EnableDate": root["setAt"],
        })
    page = devices[start:start + max_items]
    truncated = start + max_items < len(devices)
    return ActionResult({
        "VirtualMFADevices": page,
        "IsTruncated": truncated,
        "Marker": str(start + max_items) if truncated else None,
    })


def _record_password_change(method):
    # moto does not keep when a password was set; the credential report needs it.
    def wrapper(self, user_name, *args, **kwargs):
        result = method(self, user_name, *args, **kwargs)
        self.get_user(user_name).mfa_bot_password_changed = utcnow()
        return result
    return wrapper


def _stamp_key_use_with_clock(mark):
    # moto records an access key's last use (the credential report's access_key_N_last_used_date)
    # when a request is signed with it, at the real time. AWS stamps it with AWS's time, which in
    # the tests is the clock set by /_mfa_bot/clock, so the use is re-stamped with that clock.
    def wrapper(account_id, access_key, service, region):
        mark(account_id, access_key, service, region)
        if CLOCK[0] is None:
            return
        for backend in iam_backends[account_id].values():
            key = backend.access_keys.get(access_key)
            if key is not None and key.last_used is not None:
                key.last_used = AccessKeyLastUsed(timestamp=CLOCK[0], service=service, region=region)
    return wrapper


def _reset_also_clears_extensions(reset):
    def wrapper(self):
        reset(self)
        _clear_state()
    return wrapper


def install_patches():
    IamResponse.generate_credential_report = generate_credential_report
    IamResponse.get_credential_report = get_credential_report
    IamResponse.get_account_summary = get_account_summary
    IamResponse.list_virtual_mfa_devices = list_virtual_mfa_devices
    IAMBackend.create_login_profile = _record_password_change(IAMBackend.create_login_profile)
    IAMBackend.update_login_profile = _record_password_change(IAMBackend.update_login_profile)
    MotoAPIBackend.reset = _reset_also_clears_extensions(MotoAPIBackend.reset)
    # core.responses imports it from the module at each request, so the module attribute is the one to replace.
    iam_models.mark_account_as_visited = _stamp_key_use_with_clock(iam_models.mark_account_as_visited)
    root_access.install(_root_for_change)


# --- control endpoints ----------------------------------------------------------------------


class BadRequest(Exception):
    pass


def control_root(body):
    account = str(body.get("accountId", "123456789012"))
    exists = body.get("exists", True) is not False
    serial = body.get("virtualMfaSerial") if exists else None
    partition = body.get("partition")
    if partition not in (None, "aws", "aws-us-gov", "aws-cn"):
        raise BadRequest(f"unknown partition {partition!r}")
    mfa_kind = body.get("mfaKind")
    if mfa_kind not in (None, "hardware", "passkey"):
        raise BadRequest(f"unknown mfaKind {mfa_kind!r} (a virtual device is given by virtualMfaSerial)")
    now = utcnow()
    keys = exists and bool(body.get("accessKeysPresent", False))
    certs = exists and bool(body.get("signingCertificatesPresent", False))
    created = _parse_date(body.get("createDate")) or EPOCH[0]
    with LOCK:
        ROOTS[account] = {
            "exists": exists,
            "partition": partition,
            "passwordPresent": exists and body.get("passwordPresent", True) is not False,
            "accessKeysPresent": keys,
            "accessKeys": [{"id": f"AKIA{uuid.uuid4().hex[:16].upper()}", "created": created}] if keys else [],
            "signingCertificatesPresent": certs,
            "signingCertificates": [{"id": uuid.uuid4().hex.upper()[:32], "created": created,
                                     "body": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}]
            if certs else [],
            # A virtual device assigned to root means MFA is active unless told otherwise.
            "mfaActive": exists and bool(body.get("mfaActive", serial is not None)),
            "mfaKind": mfa_kind,
            "virtualMfaSerial": serial,
            "createDate": created,
            "passwordLastUsed": _parse_date(body.get("passwordLastUsed")) if exists else None,
            "setAt": now,
        }
    return {"root": {k: v.strftime(DATE) if isinstance(v, datetime) else v
                     for k, v in ROOTS[account].items() if k not in ("accessKeys", "signingCertificates")}}


def control_user_dates(body):
    account = str(body.get("accountId", "123456789012"))
    name = body.get("userName")
    # Every partition's IAM backend already created for the account (a user lives in one).
    users = [b.users[name] for b in iam_backends[account].values() if name in b.users]
    if not users:
        raise LookupError(f"no IAM user {name!r} in account {account}")
    for user in users:
        if body.get("createDate"):
            user.create_date = _parse_date(body["createDate"])
        if body.get("passwordLastChanged"):
            user.mfa_bot_password_changed = _parse_date(body["passwordLastChanged"])
        if body.get("passwordLastUsed"):
            user.password_last_used = _parse_date(body["passwordLastUsed"])
    return {"updated": len(users)}


DEFAULT_STATUS = {"AccessDenied": 403, "AccessDeniedException": 403, "ServiceFailure": 500,
                  "InternalFailure": 500, "ServiceUnavailable": 503, "NoSuchEntity": 404}


def control_fail(body):
    with LOCK:
        if body.get("clear"):
            FAILURES.clear()
            return {"pending": 0}
        if not body.get("action") or not body.get("code"):
            raise BadRequest("action and code are required")
        code = body["code"]
        FAILURES.append({
            "action": body["action"],
            "service": body.get("service"),  # optional: only this service's requests
            "accountId": str(body["accountId"]) if body.get("accountId") else None,  # optional: one account's
            "remaining": int(body.get("count", 1)),
            "code": code,
            "status": int(body.get("status") or DEFAULT_STATUS.get(code, 400)),
            "message": body.get("message") or code,
        })
        return {"pending": len(FAILURES)}


def control_report(body):
    account = str(body.get("accountId", "123456789012"))
    with LOCK:
        rep = _report(account)
        if body.get("notPresent"):
            rep.update(generatedAt=None, inProgress=False, pollsLeft=0, expired=False)
        if body.get("generatedTime"):
            rep["generatedAt"] = _parse_date(body["generatedTime"])
        if body.get("expired"):
            rep["expired"] = True
        polls = int(body.get("inProgressPolls") or 0)
        if polls > 0:
            rep.update(inProgress=True, pollsLeft=polls, started=False)
        return {"report": {k: v.strftime(DATE) if isinstance(v, datetime) else v
                           for k, v in rep.items()}}


def control_clock(body):
    with LOCK:
        CLOCK[0] = _parse_date(body["now"]) if body.get("now") else None
        return {"now": _fmt(CLOCK[0]) if CLOCK[0] else None}


def control_seed_users(body):
    """Creates many users straight in the backend: benchmarks need 10,000 without 30,000 API calls."""
    account = str(body.get("accountId", "123456789012"))
    partition = body.get("partition", "aws")
    backend = iam_backends[account][partition]
    prefix = body.get("prefix", "user")
    count = int(body.get("count", 0))
    console = float(body.get("consoleShare", 0.5))
    mfa = float(body.get("mfaShare", 0.5))
    tags = body.get("tags") or {}
    made = {"users": 0, "console": 0, "mfa": 0}
    for i in range(count):
        name = f"{prefix}{i:05d}"
        user_tags = [{"Key": k, "Value": v.replace("{name}", name)} for k, v in tags.items()]
        backend.create_user("us-east-1", name, "/", user_tags or None)
        made["users"] += 1
        if i < count * console:
            backend.create_login_profile(name, "Correct-Horse-9!")
            made["console"] += 1
            if i < count * console * mfa:
                device = backend.create_virtual_mfa_device(name, "/")
                backend.enable_mfa_device(name, device.serial_number, "123456", "654321")
                made["mfa"] += 1
    return made


def control(request):
    route = (request.method, request.path.rstrip("/"))
    if route == ("GET", "/_mfa_bot/calls"):
        with LOCK:
            return 200, {service: dict(actions) for service, actions in CALLS.items()}
    if route == ("POST", "/_mfa_bot/calls/reset"):
        with LOCK:
            CALLS.clear()
        return 200, {}
    handlers = {"/_mfa_bot/root": control_root, "/_mfa_bot/user-dates": control_user_dates,
                "/_mfa_bot/fail": control_fail, "/_mfa_bot/report": control_report,
                "/_mfa_bot/seed-users": control_seed_users, "/_mfa_bot/clock": control_clock}
    handler = handlers.get(route[1]) if route[0] == "POST" else None
    if handler is None:
        return 404, {"error": f"no such control endpoint: {request.method} {request.path}"}
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
        if not isinstance(body, dict):
            raise BadRequest("body must be a JSON object")
        return 200, handler(body)
    except (BadRequest, ValueError, TypeError) as err:
        return 400, {"error": str(err)}
    except LookupError as err:
        return 404, {"error": str(err)}


# --- WSGI middleware: control routes, call counting, failure injection -------------------


def _access_key(environ):
    auth = environ.get("HTTP_AUTHORIZATION", "")
    return auth.split("Credential=", 1)[1].split("/", 1)[0] if "Credential=" in auth else ""


def _identify(environ):
    """(service, action, json_protocol) of an AWS request, or (None, None, False).
    The service comes from the SigV4 credential scope, the Action from the query-protocol
    form body (re-wrapped so moto can read it again), X-Amz-Target, or an RPCv2 path."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    try:
        service = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")[3]
    except IndexError:
        return None, None, False
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return service, target.rsplit(".", 1)[-1], True
    path = environ.get("PATH_INFO", "")
    if "/operation/" in path:
        return service, path.rsplit("/", 1)[-1], True
    action = parse_qs(environ.get("QUERY_STRING", "")).get("Action", [None])[0]
    if action is None and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            raw = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(raw)
            action = parse_qs(raw.decode("utf-8")).get("Action", [None])[0]
    # REST-JSON services (Security Hub...) answer errors in JSON, as AWS does; the rest here are query/XML.
    rest_json = environ.get("CONTENT_TYPE", "").startswith("application/json")
    return service, action or f"{environ.get('REQUEST_METHOD')} {path}", rest_json


def _take_failure(service, action, environ):
    account = None
    with LOCK:
        for failure in FAILURES:
            if failure["action"] != action or failure["service"] not in (None, service):
                continue
            if failure["accountId"]:
                # The account the request's access key belongs to, as moto itself decides it.
                account = account or get_account_id_from(_access_key(environ))
                if account != failure["accountId"]:
                    continue
            failure["remaining"] -= 1
            if failure["remaining"] <= 0:
                FAILURES.remove(failure)
            return failure
    return None


def _error_response(failure, json_protocol):
    request_id = str(uuid.uuid4())
    if json_protocol:
        body = json.dumps({"__type": failure["code"], "message": failure["message"]})
        headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": failure["code"]}
    else:
        fault = "Receiver" if failure["status"] >= 500 else "Sender"
        body = (f"<ErrorResponse><Error><Type>{fault}</Type><Code>{escape(failure['code'])}</Code>"
                f"<Message>{escape(failure['message'])}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>")
        headers = {"Content-Type": "text/xml"}
    headers["x-amzn-RequestId"] = request_id
    return Response(body, status=failure["status"], headers=headers)


# DynamoDB evaluates a write's condition and applies the write as one step; moto's threaded server does
# not (two conditional puts of one key can both pass attribute_not_exists), so its writes go one at a time.
DYNAMODB_WRITES = threading.Lock()
DYNAMODB_WRITE_ACTIONS = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


class Extensions:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/_mfa_bot/"):
            status, payload = control(Request(environ))
            return Response(json.dumps(payload), status=status,
                            content_type="application/json")(environ, start_response)
        service, action, json_protocol = _identify(environ)
        if service:
            with LOCK:
                CALLS[service][action] += 1
            failure = _take_failure(service, action, environ)
            if failure:
                return _error_response(failure, json_protocol)(environ, start_response)
            denial = root_access.session_denial(_access_key(environ), service, action)
            if denial:
                code, status, message = denial
                failure = {"code": code, "status": status, "message": message}
                return _error_response(failure, json_protocol)(environ, start_response)
        if service == "dynamodb" and action in DYNAMODB_WRITE_ACTIONS:
            with DYNAMODB_WRITES:
                return self.app(environ, start_response)
        return self.app(environ, start_response)


def _exit_when_stdin_closes():
    # The Node launcher holds our stdin open; EOF means it died (even by SIGKILL), so go too.
    def watch():
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    parser.add_argument("--exit-with-stdin", action="store_true",
                        help="exit when stdin reaches EOF (the parent process is gone)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args()

    install_patches()
    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if args.exit_with_stdin:
        _exit_when_stdin_closes()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    os.environ.setdefault("MOTO_PORT", str(args.port))  # moto's own self-calls use it

    app = Extensions(DomainDispatcherApplication(create_backend_app))
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()

/// `<result_code>` in `+QLAxxx: <result_code>` lines and URCs: the note's chapter 5 table
/// (表 3), the only vocabulary for the outcome of an exchange with the server.
public enum ResultCode: Int64, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case success = 0
    case timeout = 1
    case notSent = 2
    case recoveryFailed = 3
    case updateFailed = 4
    case reset = 5
    case badRequest = 400
    case forbidden = 403
    case notFound = 404
    case preconditionFailed = 412
    case otherError = 900

    /// The table's description, in English.
    public var meaning: String {
        switch self {
        case .success: "success"
        case .timeout: "timeout"
        case .notSent: "packet not sent"
        case .recoveryFailed: "session recovery failed"
        case .updateFailed: "update failed"
        case .reset: "reset"
        case .badRequest: "bad request"
        case .forbidden: "forbidden"
        case .notFound: "not found"
        case .preconditionFailed: "precondition failed"
        case .otherError: "other error"
        }
    }

    /// The table's description (描述).
    public var chineseTerm: String {
        switch self {
        case .success: "成功"
        case .timeout: "超时"
        case .notSent: "数据包未发送"
        case .recoveryFailed: "恢复失败"
        case .updateFailed: "更新失败"
        case .reset: "重置"
        case .badRequest: "错误请求"
        case .forbidden: "禁止"
        case .notFound: "未找到"
        case .preconditionFailed: "前提条件失败"
        case .otherError: "其他错误"
        }
    }

    /// The table's cause column (原因), in English; nil where the table has "-".
    public var cause: String? {
        switch self {
        case .success, .notSent: nil
        case .timeout: "network problem or the server did not answer"
        case .recoveryFailed: "the lifetime expired or the server did not answer during recovery; register again with AT+QLAREG"
        case .updateFailed: "more time than the accepted lifetime passed since the last successful update; check AT+QLASTATUS? and act on it"
        case .reset: "the server answered RST"
        case .badRequest: "the server answered 4.00"
        case .forbidden: "the server answered 4.03"
        case .notFound: "the server answered 4.04"
        case .preconditionFailed: "the server answered 4.12"
        case .otherError: "not registered, or another internal error"
        }
    }

    /// The result code for a server's 4.xx answer, when the table has one (else `otherError`).
    public static func forServerError(codeClass: UInt8, detail: UInt8) -> ResultCode {
        guard codeClass == 4 else { return .otherError }
        return ResultCode(rawValue: 400 + Int64(detail)) ?? .otherError
    }

    public var description: String { "\(rawValue) (\(meaning))" }
}

/// `<result>` the terminal gives in AT+QLARDRSP, AT+QLAOBSRSP, AT+QLAWRRSP and AT+QLAEXERSP,
/// with the CoAP response code the module sends for it.
public enum RequestResult: Int64, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case content = 1
    case changed = 2
    case badRequest = 11
    case unauthorized = 12
    case notFound = 13
    case methodNotAllowed = 14
    case notAcceptable = 15

    /// CoAP code class and detail (2.05 is `(2, 5)`).
    public var coapCode: (codeClass: UInt8, detail: UInt8) {
        switch self {
        case .content: (2, 5)
        case .changed: (2, 4)
        case .badRequest: (4, 0)
        case .unauthorized: (4, 1)
        case .notFound: (4, 4)
        case .methodNotAllowed: (4, 5)
        case .notAcceptable: (4, 6)
        }
    }

    /// "2.05" style.
    public var coapCodeText: String {
        let code = coapCode
        return "\(code.codeClass).\(code.detail < 10 ? "0" : "")\(code.detail)"
    }

    public var meaning: String {
        switch self {
        case .content: "content, the correct result of a read or observe"
        case .changed: "changed, the correct result of a write or execute"
        case .badRequest: "bad request"
        case .unauthorized: "unauthorized"
        case .notFound: "not found"
        case .methodNotAllowed: "method not allowed"
        case .notAcceptable: "not acceptable"
        }
    }

    public var chineseTerm: String {
        switch self {
        case .content: "内容"
        case .changed: "已更改"
        case .badRequest: "错误请求"
        case .unauthorized: "未授权"
        case .notFound: "未找到"
        case .methodNotAllowed: "方法不允许"
        case .notAcceptable: "未接受"
        }
    }

    public var description: String { "\(rawValue) (\(coapCodeText) \(meaning))" }
}

/// `<status>` of AT+QLASTATUS?: the LwM2M client's state.
public enum LwM2MStatus: Int64, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case unregistered = 0
    case registering = 1
    case registered = 2
    case deregistering = 3
    case deregistered = 4
    case invalid = 5
    case recoveringSession = 6
    case sessionNeedsRecovery = 7

    public var meaning: String {
        switch self {
        case .unregistered: "not registered"
        case .registering: "registering"
        case .registered: "registered"
        case .deregistering: "deregistering"
        case .deregistered: "deregistered"
        case .invalid: "invalid"
        case .recoveringSession: "recovering the LwM2M session"
        case .sessionNeedsRecovery: "the LwM2M session needs recovery"
        }
    }

    public var chineseTerm: String {
        switch self {
        case .unregistered: "未注册"
        case .registering: "注册中"
        case .registered: "已注册"
        case .deregistering: "注销中"
        case .deregistered: "已注销"
        case .invalid: "无效"
        case .recoveringSession: "正在恢复 LwM2M 会话"
        case .sessionNeedsRecovery: "需要恢复 LwM2M 会话"
        }
    }

    public var description: String { "\(rawValue) (\(meaning))" }
}

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

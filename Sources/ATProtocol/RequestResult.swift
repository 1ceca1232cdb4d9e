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

import ATProtocol
import CoAP
import LwM2M

extension ResultCode {
    /// Chapter 5's code for an exchange that failed: no answer after the retransmissions (or
    /// none after an empty ACK) is 1, RST 5, the server's 4.00/4.03/4.04/4.12 their own codes,
    /// anything else 900.
    init(_ failure: FailureCause) {
        switch failure {
        case .timeout, .noResponse: self = .timeout
        case .reset: self = .reset
        case .notSent: self = .notSent
        case .response(let code): self = .forServerError(codeClass: code.codeClass, detail: code.detail)
        case .malformedResponse: self = .otherError
        }
    }
}

extension RequestResult {
    /// The CoAP code the module answers with for the TE's `<result>`.
    var code: Code { Code(coapCode.codeClass, coapCode.detail) }
}

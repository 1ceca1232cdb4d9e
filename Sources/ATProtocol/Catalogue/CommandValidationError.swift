/// Why a well-formed command line does not fit the catalogue. The module answers `ERROR`;
/// the console can show the reason.
public struct CommandValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case unknownCommand
        case unsupportedForm(ATFormKind, supported: [ATFormKind])
        case missingParameter(String)
        /// More parameters than the syntax takes; `explanation` names the condition that made a
        /// group absent (security_mode 3 takes no PSK).
        case tooManyParameters(maximum: Int, given: Int, explanation: String?)
        case invalidParameter(String, ParameterProblem)
        /// A count parameter disagrees with the number of repeated parameters.
        case countMismatch(count: String, declared: Int64, repeated: String, given: Int)
        case valueMismatch(ValueMismatch)
    }

    /// The command word as typed (`AT+QLASENDATA`).
    public let command: String
    /// 1-based position of the parameter at fault, when one is.
    public let position: Int?
    public let reason: Reason

    public init(command: String, position: Int? = nil, _ reason: Reason) {
        self.command = command
        self.position = position
        self.reason = reason
    }

    public var description: String {
        let at = position.map { " (parameter \($0))" } ?? ""
        switch reason {
        case .unknownCommand: return "\(command): unknown command"
        case .unsupportedForm(let form, let supported):
            return "\(command): the \(form) form is not supported; supported: \(supported.map(\.rawValue).joined(separator: ", "))"
        case .missingParameter(let name): return "\(command): <\(name)> is missing\(at)"
        case .tooManyParameters(let maximum, let given, let explanation):
            return "\(command): \(given) parameters given, at most \(maximum) accepted" + (explanation.map { "; " + $0 } ?? "")
        case .invalidParameter(let name, let problem): return "\(command): <\(name)>\(at) \(problem)"
        case .countMismatch(let count, let declared, let repeated, let given):
            return "\(command): <\(count)> is \(declared) but \(given) <\(repeated)> given"
        case .valueMismatch(let mismatch): return "\(command): \(mismatch)"
        }
    }
}

/// What is wrong with one parameter's value.
public enum ParameterProblem: Error, Hashable, Sendable, CustomStringConvertible {
    case expectedInteger(found: String)
    case expectedQuotedString(found: String)
    case outOfRange(Int64, ClosedRange<Int64>)
    case notAllowed(String, allowed: [String])
    case tooLong(length: Int, maximum: Int)

    public var description: String {
        switch self {
        case .expectedInteger(let found): "must be a decimal integer, found \(found)"
        case .expectedQuotedString(let found): "must be a quoted string, found \(found)"
        case .outOfRange(let value, let range): "\(value) is outside \(range.lowerBound)-\(range.upperBound)"
        case .notAllowed(let value, let allowed): "\(value) is not one of \(allowed.joined(separator: ", "))"
        case .tooLong(let length, let maximum): "is \(length) bytes long, at most \(maximum) allowed"
        }
    }
}

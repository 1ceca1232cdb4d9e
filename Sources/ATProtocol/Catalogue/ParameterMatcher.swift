/// Walks a parameter list against a form's ``ParameterSyntax`` and binds each value to its spec.
struct ParameterMatcher {
    let command: String
    let values: [ATValue]
    private(set) var index = 0
    private(set) var arguments: [ValidatedCommand.Argument] = []
    private var maximum = 0
    private var lastExplanation: String?

    init(command: String, values: [ATValue]) {
        self.command = command
        self.values = values
    }

    mutating func matchAll(_ syntax: [ParameterSyntax]) throws(CommandValidationError) {
        // `AT+X=` (one empty parameter) for a form whose parameters are all optional is a
        // query-like set with nothing given.
        try match(syntax, inOptional: false)
        if index < values.count {
            throw CommandValidationError(command: command, position: index + 1,
                                         .tooManyParameters(maximum: maximum, given: values.count, explanation: lastExplanation))
        }
    }

    private mutating func match(_ items: [ParameterSyntax], inOptional: Bool) throws(CommandValidationError) {
        for item in items {
            switch item {
            case .required(let spec):
                maximum += 1
                // A present optional group is all or nothing (its nested groups aside); an empty
                // field inside it stands for the default.
                guard index < values.count else {
                    throw CommandValidationError(command: command, position: index + 1, .missingParameter(spec.name))
                }
                let value = values[index]
                index += 1
                if value == .empty {
                    if inOptional { continue }
                    throw CommandValidationError(command: command, position: index, .missingParameter(spec.name))
                }
                try bind(spec, value, position: index)
            case .optional(let inner):
                guard index < values.count else {
                    maximum += inner.reduce(0) { $0 + $1.allParameters.count }
                    continue
                }
                try match(inner, inOptional: true)
            case .repeated(let spec, let minimum, let most):
                maximum += most
                let count = values.count - index
                if count < minimum {
                    throw CommandValidationError(command: command, position: values.count + 1, .missingParameter(spec.name))
                }
                if count > most {
                    throw CommandValidationError(command: command, position: index + most + 1,
                                                 .tooManyParameters(maximum: maximum, given: values.count, explanation: nil))
                }
                while index < values.count {
                    let value = values[index]
                    index += 1
                    if value == .empty {
                        throw CommandValidationError(command: command, position: index, .missingParameter(spec.name))
                    }
                    try bind(spec, value, position: index)
                }
            case .depending(let name, let cases, let otherwise):
                let chosen = arguments.first { $0.spec.name == name }?.value
                if let chosen, let branch = cases.first(where: { $0.values.contains(chosen) }) {
                    try match(branch.syntax, inOptional: inOptional)
                } else {
                    lastExplanation = cases.first?.explanation
                    try match(otherwise, inOptional: inOptional)
                }
            }
        }
    }

    private mutating func bind(_ spec: ParameterSpec, _ value: ATValue, position: Int) throws(CommandValidationError) {
        do {
            let normalized = try Self.check(value, against: spec)
            arguments.append(.init(spec: spec, value: normalized, position: position))
        } catch {
            throw CommandValidationError(command: command, position: position, .invalidParameter(spec.name, error))
        }
    }

    /// Checks one value against its type; returns it normalized (keywords in catalogue spelling).
    static func check(_ value: ATValue, against spec: ParameterSpec) throws(ParameterProblem) -> ATValue {
        switch spec.type {
        case .integer(let range):
            guard case .integer(let number) = value else { throw .expectedInteger(found: value.shapeDescription) }
            guard range.contains(number) else { throw .outOfRange(number, range) }
            return value
        case .choice(let allowed):
            guard case .integer = value else { throw .expectedInteger(found: value.shapeDescription) }
            guard allowed.contains(where: { $0.value == value }) else {
                throw .notAllowed(value.formatted, allowed: allowed.map(\.value.formatted))
            }
            return value
        case .keyword(let allowed):
            guard case .string(let text) = value else { throw .expectedQuotedString(found: value.shapeDescription) }
            guard let match = allowed.first(where: { $0.value.stringValue?.lowercased() == text.lowercased() }) else {
                throw .notAllowed(value.formatted, allowed: allowed.map(\.value.formatted))
            }
            return match.value
        case .string(let maxLength):
            guard case .string(let text) = value else { throw .expectedQuotedString(found: value.shapeDescription) }
            if let maxLength, text.utf8.count > maxLength { throw .tooLong(length: text.utf8.count, maximum: maxLength) }
            return value
        case .resourceValue:
            return value
        case .bareWord(let allowed):
            let text: String? = switch value {
            case .token(let t), .string(let t): t
            default: nil
            }
            guard let text, let match = allowed.first(where: { $0.value.formatted == text }) else {
                throw .notAllowed(value.formatted, allowed: allowed.map(\.value.formatted))
            }
            return match.value
        }
    }
}

/// One parameter of a command (or one field of a response or URC) as the note describes it.
public struct ParameterSpec: Hashable, Sendable {
    /// The note's name, without angle brackets: `ACK_timeout`, `instantID` (sic).
    public let name: String
    public let type: ParameterType
    /// What it means, in English.
    public let meaning: String
    /// The note's Chinese term for it (响应超时时间), or nil when the note has none.
    public let chineseTerm: String?
    /// The default the note gives, or the reading NOTES.md takes where the underline was lost.
    public let defaultValue: ATValue?
    /// Unit (seconds), when there is one.
    public let unit: String?

    public init(_ name: String, _ type: ParameterType, meaning: String, chinese: String? = nil,
                default defaultValue: ATValue? = nil, unit: String? = nil) {
        self.name = name
        self.type = type
        self.meaning = meaning
        self.chineseTerm = chinese
        self.defaultValue = defaultValue
        self.unit = unit
    }

    /// `<name>`, as in the note's syntax lines.
    public var placeholder: String { "<" + name + ">" }
}

/// What a parameter's value may be.
public enum ParameterType: Hashable, Sendable {
    /// An unquoted decimal integer within the range.
    case integer(ClosedRange<Int64>)
    /// An unquoted integer from a list of values, each with its meaning.
    case choice([AllowedValue])
    /// A quoted string from a list (the keys of AT+QLACFG); compared without regard to case.
    case keyword([AllowedValue])
    /// A quoted string of at most `maxLength` UTF-8 bytes (nil: the note gives no maximum).
    case string(maxLength: Int?)
    /// `<value>` of the data commands: its shape follows `<value_type>` and `<len>`
    /// (checked by ``ParameterRule/valueMatchesLength(valueType:length:value:allowed:)``).
    case resourceValue
    /// A field the module prints bare (URC `binding_changed`'s `U` / `UQ`).
    case bareWord([AllowedValue])

    /// The short form used in `=?` answers: `(2-20)`, `(0,1)`, `"<serverIP>"`.
    func testAnswerToken(for spec: ParameterSpec) -> ATValue {
        switch self {
        case .integer(let range): return .token("(\(range.lowerBound)-\(range.upperBound))")
        case .choice(let values):
            let numbers = values.compactMap { $0.value.integerValue }
            if numbers.count > 2, let first = numbers.first, let last = numbers.last,
               numbers == Array(first...last) {
                return .token("(\(first)-\(last))")
            }
            return .token("(" + numbers.map(String.init).joined(separator: ",") + ")")
        case .keyword(let values): return .token("(" + values.map(\.value.formatted).joined(separator: ",") + ")")
        case .bareWord(let values): return .token("(" + values.map(\.value.formatted).joined(separator: ",") + ")")
        case .string, .resourceValue: return .string(spec.placeholder)
        }
    }
}

/// One allowed value of a ``ParameterType/choice(_:)`` or ``ParameterType/keyword(_:)``.
public struct AllowedValue: Hashable, Sendable {
    public let value: ATValue
    public let meaning: String
    public let chineseTerm: String?

    public init(_ value: Int64, _ meaning: String, chinese: String? = nil) {
        self.value = .integer(value)
        self.meaning = meaning
        self.chineseTerm = chinese
    }

    public init(keyword: String, _ meaning: String, chinese: String? = nil) {
        self.value = .string(keyword)
        self.meaning = meaning
        self.chineseTerm = chinese
    }

    public init(bare: String, _ meaning: String, chinese: String? = nil) {
        self.value = .token(bare)
        self.meaning = meaning
        self.chineseTerm = chinese
    }
}

/// The shape of a parameter list: which parameters come, in which order, which are optional,
/// which depend on an earlier one.
public indirect enum ParameterSyntax: Hashable, Sendable {
    /// Must be present and not empty.
    case required(ParameterSpec)
    /// `[,...]`: present or absent as a whole (an empty field inside counts as absent). Nests:
    /// `[,<ACK>[,<rai_mode>]]`.
    case optional([ParameterSyntax])
    /// The same parameter `minimum...maximum` times, to the end of the line.
    case repeated(ParameterSpec, minimum: Int, maximum: Int)
    /// What follows depends on the value of the earlier parameter `parameter`: the first case
    /// whose values hold it applies, else `otherwise`.
    case depending(on: String, cases: [DependentCase], otherwise: [ParameterSyntax])

    /// Every parameter named in the syntax, depth first.
    public var allParameters: [ParameterSpec] {
        switch self {
        case .required(let spec): [spec]
        case .optional(let items): items.flatMap(\.allParameters)
        case .repeated(let spec, _, _): [spec]
        case .depending(_, let cases, let otherwise):
            cases.flatMap { $0.syntax.flatMap(\.allParameters) } + otherwise.flatMap(\.allParameters)
        }
    }

    /// The first parameter called `name` in ``allParameters`` order, found without building it.
    public func firstParameter(named name: String) -> ParameterSpec? {
        switch self {
        case .required(let spec), .repeated(let spec, _, _):
            return spec.name == name ? spec : nil
        case .optional(let items):
            for item in items { if let found = item.firstParameter(named: name) { return found } }
            return nil
        case .depending(_, let cases, let otherwise):
            for c in cases { for item in c.syntax { if let found = item.firstParameter(named: name) { return found } } }
            for item in otherwise { if let found = item.firstParameter(named: name) { return found } }
            return nil
        }
    }
}

/// One branch of ``ParameterSyntax/depending(on:cases:otherwise:)``.
public struct DependentCase: Hashable, Sendable {
    public let values: [ATValue]
    public let syntax: [ParameterSyntax]
    /// Why this branch exists, shown in errors ("PSK_ID and PSK are given only when
    /// security_mode is 0").
    public let explanation: String

    public init(when values: [ATValue], _ syntax: [ParameterSyntax], explanation: String) {
        self.values = values
        self.syntax = syntax
        self.explanation = explanation
    }
}

/// A check across several parameters of one command line.
public enum ParameterRule: Hashable, Sendable {
    /// `count` holds how many times the repeated parameter `repeated` appears
    /// (AT+QLAADDOBJ's `<resource_number>`).
    case countMatches(count: String, repeated: String)
    /// `<value_type>`, `<len>`, `<value>` hold together (see ``ATTypedValue/decode(type:length:value:allowed:)``).
    case valueMatchesLength(valueType: String, length: String, value: String, allowed: Set<ATValueType>)
}

/// One command of the module as the application note describes it: its forms, parameters,
/// responses and help text. Written once; used for validation, `=?` answers, completion and
/// teaching help.
public struct CommandSpec: Hashable, Sendable {
    /// The command word: `AT`, `ATI`, `ATE`, `AT+QLACONFIG`.
    public let name: String
    /// Other spellings accepted for the same command (`AT+QLASENDATA`).
    public let aliases: [String]
    /// What it does, in English.
    public let summary: String
    /// The note's heading for it (配置注册参数), or nil for commands the note does not document.
    public let chineseTitle: String?
    /// The note's section (2.1), or nil.
    public let section: String?
    /// 最大响应时间, in seconds, when the note gives one.
    public let maximumResponseSeconds: Int?
    public let forms: [FormSpec]
    /// Fields of the command's own response and result lines (`<result_code>`, `<messageID>`).
    public let responseFields: [ParameterSpec]
    /// Characteristics (特性说明) and remarks (备注), in English.
    public let remarks: [String]
    /// Lines answering `=?` when they are not derived from the set form.
    let testAnswerOverride: [ATResponseLine]?

    public init(name: String, aliases: [String] = [], summary: String, chineseTitle: String?, section: String?,
                maximumResponseSeconds: Int?, forms: [FormSpec], responseFields: [ParameterSpec] = [],
                remarks: [String] = [], testAnswer: [ATResponseLine]? = nil) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.chineseTitle = chineseTitle
        self.section = section
        self.maximumResponseSeconds = maximumResponseSeconds
        // Every extended command answers `=?`; the note lists no test forms, the module has them.
        if name.hasPrefix("AT+"), !forms.contains(where: { $0.kind == .test }) {
            self.forms = forms + [FormSpec(.test, syntax: name + "=?", summary: "list the accepted values")]
        } else {
            self.forms = forms
        }
        self.responseFields = responseFields
        self.remarks = remarks
        self.testAnswerOverride = testAnswer
    }

    public var isExtended: Bool { name.hasPrefix("AT+") }

    /// The name as it prefixes information lines: `QLACFG` for `+QLACFG: ...`.
    public var responseName: String { isExtended ? String(name.dropFirst(3)) : name }

    public func form(_ kind: ATFormKind) -> FormSpec? { forms.first { $0.kind == kind } }

    public var supportedForms: [ATFormKind] { forms.map(\.kind) }

    /// Every parameter of every form, without repeats, in order of appearance.
    public var allParameters: [ParameterSpec] {
        var seen: Set<String> = []
        return forms.flatMap { $0.parameters.flatMap(\.allParameters) }.filter { seen.insert($0.name).inserted }
    }

    /// The parameter called `name` as ``allParameters`` lists it (asked for defaults on every
    /// command, so it builds nothing).
    public func parameter(named name: String) -> ParameterSpec? {
        for form in forms {
            for syntax in form.parameters { if let found = syntax.firstParameter(named: name) { return found } }
        }
        return nil
    }

    /// What the module prints for `AT+X=?` before `OK`: ranges in the style
    /// `+QLACFG: "retransmit",(2-20),(0-8)`, one line per branch of a depending parameter;
    /// no line for commands without a set form.
    public var testAnswer: [ATResponseLine] {
        if let testAnswerOverride { return testAnswerOverride }
        guard isExtended, let set = form(.set) else { return [] }
        return TestAnswerBuilder.lines(for: set.parameters).map { .information(name: responseName, values: $0) }
    }
}

/// One form of a command.
public struct FormSpec: Hashable, Sendable {
    public let kind: ATFormKind
    /// The note's syntax line, e.g. `AT+QLANOTIFY=<objectID>,...[,<ACK>[,<rai_mode>]]`.
    public let syntax: String
    /// What this form does.
    public let summary: String
    /// Parameters of a set form (or a basic command's number).
    public let parameters: [ParameterSyntax]
    public let rules: [ParameterRule]
    /// The note's response lines for this form, without `OK` (e.g. `+QLASTATUS: <status>`).
    public let responses: [String]

    public init(_ kind: ATFormKind, syntax: String, summary: String, parameters: [ParameterSyntax] = [],
                rules: [ParameterRule] = [], responses: [String] = []) {
        self.kind = kind
        self.syntax = syntax
        self.summary = summary
        self.parameters = parameters
        self.rules = rules
        self.responses = responses
    }
}

/// Derives `=?` answer lines from a set form's syntax.
enum TestAnswerBuilder {
    static func lines(for syntax: [ParameterSyntax]) -> [[ATValue]] {
        var alternatives: [Alternative] = [Alternative()]
        for item in syntax {
            alternatives = alternatives.flatMap { expand(item, into: $0) }
        }
        return alternatives.map(\.values)
    }

    struct Alternative {
        var values: [ATValue] = []
        /// Position and spec of each parameter placed so far, for branching.
        var positions: [String: (index: Int, spec: ParameterSpec)] = [:]
    }

    private static func expand(_ item: ParameterSyntax, into alternative: Alternative) -> [Alternative] {
        var result = alternative
        switch item {
        case .required(let spec), .repeated(let spec, _, _):
            result.positions[spec.name] = (result.values.count, spec)
            result.values.append(spec.type.testAnswerToken(for: spec))
            return [result]
        case .optional(let items):
            var alternatives = [result]
            for inner in items { alternatives = alternatives.flatMap { expand(inner, into: $0) } }
            return alternatives
        case .depending(let name, let cases, let otherwise):
            guard let position = result.positions[name] else { return [result] }
            var branches: [Alternative] = []
            var covered: [ATValue] = []
            for branch in cases {
                var copy = result
                copy.values[position.index] = branchToken(branch.values, spec: position.spec)
                covered += branch.values
                for inner in branch.syntax { copy = expand(inner, into: copy).first ?? copy }
                branches.append(copy)
            }
            let rest = remaining(position.spec.type, excluding: covered)
            if !rest.isEmpty || cases.isEmpty {
                var copy = result
                if !rest.isEmpty { copy.values[position.index] = branchToken(rest, spec: position.spec) }
                for inner in otherwise { copy = expand(inner, into: copy).first ?? copy }
                branches.append(copy)
            }
            return branches
        }
    }

    private static func branchToken(_ values: [ATValue], spec: ParameterSpec) -> ATValue {
        if values.count == 1, let only = values.first { return only }
        return .token("(" + values.map(\.formatted).joined(separator: ",") + ")")
    }

    private static func remaining(_ type: ParameterType, excluding covered: [ATValue]) -> [ATValue] {
        switch type {
        case .choice(let values), .keyword(let values): values.map(\.value).filter { !covered.contains($0) }
        default: []
        }
    }
}

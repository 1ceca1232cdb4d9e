/// Every command and URC of the emulated module, queryable by name and able to check a parsed
/// command line against the note.
///
/// `CommandCatalogue.bc260y` holds chapter 2's LwM2M commands, the basic commands a bench user
/// types first, chapter 3's URCs and chapter 5's result codes (``ResultCode``).
public struct CommandCatalogue: Sendable {
    public let commands: [CommandSpec]
    public let urcs: [URCSpec]
    private let index: [String: Int]

    public init(commands: [CommandSpec], urcs: [URCSpec]) {
        self.commands = commands
        self.urcs = urcs
        var index: [String: Int] = [:]
        for (position, command) in commands.enumerated() {
            for name in [command.name] + command.aliases { index[name.uppercased()] = position }
        }
        self.index = index
    }

    /// The BC260Y-CN's command set.
    public static let bc260y = CommandCatalogue(commands: [
        .attention, .identification, .echo,
        .cgmi, .cgmm, .cgmr, .cgsn, .cimi, .cfun, .cereg, .cgpaddr, .csq, .qsclk, .qrst,
        .qlaconfig, .qlacfg, .qlareg, .qlaupdate, .qladereg, .qlaaddobj, .qladelobj,
        .qlardrsp, .qlawrrsp, .qlaexersp, .qlaobsrsp, .qlanotify, .qlasenddata, .qlastatus,
    ], urcs: URCSpec.all)

    /// Looks a command up by word, any case: `AT+QLAREG`, `+QLAREG`, `QLAREG`, `ATE`, `AT`.
    public func command(named name: String) -> CommandSpec? {
        let upper = name.uppercased()
        let word = upper.hasPrefix("AT") ? upper : upper.hasPrefix("+") ? "AT" + upper : "AT+" + upper
        return index[word].map { commands[$0] } ?? index[upper].map { commands[$0] }
    }

    /// The spec a parsed line refers to, if the command exists.
    public func command(for line: ATCommandLine) -> CommandSpec? { command(named: line.commandWord) }

    /// The URC spec for a `+QLAURC` keyword (`"observe"`) or another URC name (`QNBIOEVENT`).
    public func urc(named name: String) -> URCSpec? {
        urcs.first { $0.keyword == name } ?? urcs.first { $0.keyword == nil && $0.prefix == name.uppercased() }
    }

    /// Commands whose word starts with `prefix` (any case), for completion.
    public func completions(for prefix: String) -> [CommandSpec] {
        let upper = prefix.uppercased()
        return commands.filter { spec in ([spec.name] + spec.aliases).contains { $0.hasPrefix(upper) } }
    }

    /// Checks a parsed line against the note: the command exists, supports the form, and its
    /// parameters have the right count, types, ranges, lengths and conditional presence, and
    /// satisfy the command's cross-parameter rules.
    public func validate(_ line: ATCommandLine) throws(CommandValidationError) -> ValidatedCommand {
        let word = line.commandWord
        guard let spec = command(for: line) else { throw CommandValidationError(command: word, .unknownCommand) }
        let kind = line.formKind
        guard let form = spec.form(kind) else {
            throw CommandValidationError(command: word, .unsupportedForm(kind, supported: spec.supportedForms))
        }
        var matcher = ParameterMatcher(command: word, values: line.parameters)
        try matcher.matchAll(form.parameters)
        let arguments = matcher.arguments
        var typed: ATTypedValue?
        for rule in form.rules {
            switch rule {
            case .countMatches(let countName, let repeatedName):
                guard let declared = arguments.first(where: { $0.spec.name == countName })?.value.integerValue else { continue }
                let given = arguments.filter { $0.spec.name == repeatedName }.count
                if declared != Int64(given) {
                    let position = arguments.first { $0.spec.name == countName }?.position
                    throw CommandValidationError(command: word, position: position,
                                                 .countMismatch(count: countName, declared: declared, repeated: repeatedName, given: given))
                }
            case .valueMatchesLength(let typeName, let lengthName, let valueName, let allowed):
                guard let type = arguments.first(where: { $0.spec.name == typeName })?.value.integerValue,
                      let length = arguments.first(where: { $0.spec.name == lengthName })?.value.integerValue,
                      let value = arguments.first(where: { $0.spec.name == valueName }) else { continue }
                do {
                    typed = try ATTypedValue.decode(type: type, length: length, value: value.value, allowed: allowed)
                } catch {
                    throw CommandValidationError(command: word, position: value.position, .valueMismatch(error))
                }
            }
        }
        return ValidatedCommand(spec: spec, line: line, form: kind, arguments: arguments, typedValue: typed)
    }

    /// Parses and validates one line of text.
    public func check(_ text: String) -> Result<ValidatedCommand, LineRejection> {
        do {
            let line = try ATCommandLine.parse(text)
            do {
                return .success(try validate(line))
            } catch {
                return .failure(.invalid(error))
            }
        } catch {
            return .failure(.malformed(error))
        }
    }
}

/// Why a line of text was refused: it did not parse, or it does not fit the catalogue.
public enum LineRejection: Error, Hashable, Sendable, CustomStringConvertible {
    case malformed(ATParseError)
    case invalid(CommandValidationError)

    public var description: String {
        switch self {
        case .malformed(let error): error.description
        case .invalid(let error): error.description
        }
    }
}

/// A command line that fits the catalogue: its spec, its form, and its parameters by name.
/// The module engine adds the state checks (registered? pending message id?).
public struct ValidatedCommand: Hashable, Sendable {
    public struct Argument: Hashable, Sendable {
        public let spec: ParameterSpec
        /// The value as given (keywords in the catalogue's spelling).
        public let value: ATValue
        /// 1-based position in the line.
        public let position: Int
    }

    public let spec: CommandSpec
    public let line: ATCommandLine
    public let form: ATFormKind
    /// The parameters given, in order; omitted optional parameters are absent.
    public let arguments: [Argument]
    /// The decoded `<value_type>,<len>,<value>` triple, for the data commands.
    public let typedValue: ATTypedValue?

    /// The value given for `name` (the first, for a repeated parameter).
    public func given(_ name: String) -> ATValue? { arguments.first { $0.spec.name == name }?.value }

    /// Every value given for a repeated parameter.
    public func values(_ name: String) -> [ATValue] { arguments.filter { $0.spec.name == name }.map(\.value) }

    /// The value given, else the parameter's default.
    public func value(_ name: String) -> ATValue? {
        given(name) ?? spec.parameter(named: name)?.defaultValue
    }

    public func integer(_ name: String) -> Int64? { value(name)?.integerValue }

    public func string(_ name: String) -> String? { value(name)?.stringValue }

    /// The name to answer with: `QLASENDATA` when that spelling was typed.
    public var responseName: String {
        if case .extended(let name, _) = line.command { return name }
        return spec.responseName
    }
}

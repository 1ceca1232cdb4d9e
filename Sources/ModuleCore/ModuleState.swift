/// What the module keeps across deep sleep and power cycles, as the note says: the working
/// server's configuration (2.1), the AT+QLACFG keys (2.2) and the custom objects (2.6).
/// A bootstrap server's configuration and the observations are not part of it.
///
/// The engine never touches a file: it hands a new value out (``ModuleOutput/stateToSave``)
/// whenever one of these changes, and ``ModuleStateStore`` writes it.
public struct ModuleState: Hashable, Sendable, Codable {
    /// The file format's version; a file with another version is refused (defaults are used).
    public static let formatVersion = 1

    public var formatVersion: Int
    public var workingServer: ServerConfiguration?
    public var options: RegistrationOptions
    public var customObjects: [CustomObjectInstance]

    public init(workingServer: ServerConfiguration? = nil, options: RegistrationOptions = RegistrationOptions(),
                customObjects: [CustomObjectInstance] = []) {
        self.formatVersion = Self.formatVersion
        self.workingServer = workingServer
        self.options = options
        self.customObjects = customObjects
    }

    /// The state of a module that has never been configured.
    public static let defaults = ModuleState()

    /// Why a decoded value cannot be a module's state (a hand-edited or damaged file), or nil.
    public var problem: String? {
        if formatVersion != Self.formatVersion {
            return "format version \(formatVersion) is not \(Self.formatVersion)"
        }
        if let problem = workingServer?.problem { return problem }
        if let problem = options.problem { return problem }
        var objects: [UInt16: Set<UInt16>] = [:]
        for instance in customObjects {
            if CustomObjectLimits.builtInObjects.contains(instance.objectID) {
                return "object \(instance.objectID) is built in and cannot be a custom object"
            }
            if instance.resourceIDs.isEmpty || instance.resourceIDs.count > CustomObjectLimits.resourcesPerInstance
                || Set(instance.resourceIDs).count != instance.resourceIDs.count {
                return "custom instance /\(instance.objectID)/\(instance.instanceID) has a bad resource list"
            }
            guard objects[instance.objectID, default: []].insert(instance.instanceID).inserted else {
                return "custom instance /\(instance.objectID)/\(instance.instanceID) appears twice"
            }
        }
        if objects.count > CustomObjectLimits.objects { return "more than \(CustomObjectLimits.objects) custom objects" }
        if objects.values.contains(where: { $0.count > CustomObjectLimits.instancesPerObject }) {
            return "more than \(CustomObjectLimits.instancesPerObject) instances of a custom object"
        }
        return nil
    }
}

/// The module's objects as the AT lines reveal them: the built-in objects 0, 1, 3, 4, 5, the
/// instances added with AT+QLAADDOBJ (or listed by AT+QLAADDOBJ?), and every resource the
/// lines mention, with its last value and whether the server observes it.
///
/// Contract: built-in objects are always present and never deleted; `add` and `remove` follow
/// commands the module accepted (`OK`); `replaceCustom` makes the added instances exactly the
/// listed ones. Paths mentioned by URCs or answers are created on demand. Sorted by id.
public struct ModuleObjectTree: Hashable, Sendable {
    public struct Resource: Hashable, Sendable {
        public let id: Int64
        public var lastValue: ResourceReading?
        public var observed = false
    }

    public struct Instance: Hashable, Sendable {
        public let id: Int64
        public var resources: [Resource] = []
        /// The whole instance is observed.
        public var observed = false
    }

    public struct Object: Hashable, Sendable {
        public let id: Int64
        public let isBuiltIn: Bool
        public var instances: [Instance] = []
        public var observed = false

        /// The object's name from the OMA registry, when it is one the module knows.
        public var name: String? { ModuleObjectTree.names[id] }
    }

    public static let builtInIDs: [Int64] = [0, 1, 3, 4, 5]
    static let names: [Int64: String] = [
        0: "Security", 1: "Server", 3: "Device", 4: "Connectivity Monitoring", 5: "Firmware Update",
        19: "BinaryAppDataContainer",
    ]

    public private(set) var objects: [Object]

    public init() {
        objects = Self.builtInIDs.map { Object(id: $0, isBuiltIn: true, instances: [Instance(id: 0)]) }
    }

    public func object(_ id: Int64) -> Object? { objects.first { $0.id == id } }

    public func resource(_ o: Int64, _ i: Int64, _ r: Int64) -> Resource? {
        object(o)?.instances.first { $0.id == i }?.resources.first { $0.id == r }
    }

    /// AT+QLAADDOBJ=o,i,n,r... accepted.
    public mutating func add(objectID: Int64, instanceID: Int64, resourceIDs: [Int64]) {
        for r in resourceIDs { touch(objectID, instanceID, r) }
        if resourceIDs.isEmpty { touchInstance(objectID, instanceID) }
    }

    /// AT+QLADELOBJ=o accepted: the object goes (built-in ones stay).
    public mutating func remove(objectID: Int64) {
        objects.removeAll { $0.id == objectID && !$0.isBuiltIn }
    }

    /// AT+QLAADDOBJ? answered: the custom objects are exactly these (values and flags of
    /// resources that stay are kept).
    public mutating func replaceCustom(with listed: [(objectID: Int64, instanceID: Int64, resourceIDs: [Int64])]) {
        let old = self
        objects.removeAll { !$0.isBuiltIn }
        for entry in listed {
            add(objectID: entry.objectID, instanceID: entry.instanceID, resourceIDs: entry.resourceIDs)
            for r in entry.resourceIDs {
                if let kept = old.resource(entry.objectID, entry.instanceID, r) {
                    update(entry.objectID, entry.instanceID, r) { $0 = kept }
                }
            }
        }
    }

    /// A value the module reported or was given for a resource.
    public mutating func setValue(_ value: ResourceReading, at o: Int64, _ i: Int64, _ r: Int64) {
        guard o >= 0, i >= 0, r >= 0 else { return }
        update(o, i, r) { $0.lastValue = value }
    }

    /// The server observes (or stops observing) a path; -1 parts address a whole instance/object.
    public mutating func setObserved(_ observed: Bool, at o: Int64, _ i: Int64, _ r: Int64) {
        guard o >= 0 else { return }
        if i < 0 {
            touchObject(o)
            if let index = objects.firstIndex(where: { $0.id == o }) { objects[index].observed = observed }
        } else if r < 0 {
            touchInstance(o, i)
            modifyInstance(o, i) { $0.observed = observed }
        } else {
            update(o, i, r) { $0.observed = observed }
        }
    }

    /// Makes sure the path exists (a URC mentioned it).
    public mutating func mention(_ o: Int64, _ i: Int64, _ r: Int64) {
        guard o >= 0 else { return }
        if i < 0 { touchObject(o) } else if r < 0 { touchInstance(o, i) } else { touch(o, i, r) }
    }

    // MARK: Building

    private mutating func touchObject(_ o: Int64) {
        guard !objects.contains(where: { $0.id == o }) else { return }
        objects.append(Object(id: o, isBuiltIn: false))
        objects.sort { $0.id < $1.id }
    }

    private mutating func touchInstance(_ o: Int64, _ i: Int64) {
        touchObject(o)
        guard let index = objects.firstIndex(where: { $0.id == o }),
              !objects[index].instances.contains(where: { $0.id == i }) else { return }
        objects[index].instances.append(Instance(id: i))
        objects[index].instances.sort { $0.id < $1.id }
    }

    private mutating func touch(_ o: Int64, _ i: Int64, _ r: Int64) {
        touchInstance(o, i)
        modifyInstance(o, i) { instance in
            guard !instance.resources.contains(where: { $0.id == r }) else { return }
            instance.resources.append(Resource(id: r))
            instance.resources.sort { $0.id < $1.id }
        }
    }

    private mutating func modifyInstance(_ o: Int64, _ i: Int64, _ body: (inout Instance) -> Void) {
        guard let oi = objects.firstIndex(where: { $0.id == o }),
              let ii = objects[oi].instances.firstIndex(where: { $0.id == i }) else { return }
        body(&objects[oi].instances[ii])
    }

    private mutating func update(_ o: Int64, _ i: Int64, _ r: Int64, _ body: (inout Resource) -> Void) {
        touch(o, i, r)
        modifyInstance(o, i) { instance in
            guard let ri = instance.resources.firstIndex(where: { $0.id == r }) else { return }
            body(&instance.resources[ri])
        }
    }
}

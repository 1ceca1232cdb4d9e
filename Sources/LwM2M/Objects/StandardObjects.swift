extension ObjectDefinition {
    /// The object definitions this module knows by id.
    public static let standard: [UInt16: ObjectDefinition] = {
        var d: [UInt16: ObjectDefinition] = [:]
        for o in [security, server, device, connectivityMonitoring, firmwareUpdate, binaryAppDataContainer] { d[o.id] = o }
        return d
    }()

    /// The definition for an object a host adds at runtime (`AT+QLAADDOBJ=<obj>,<inst>,<n>,<ids>`):
    /// a known object keeps its own resource definitions for the ids given (unknown ids become
    /// custom opaque resources); any other object is `custom(id:resourceIDs:)`.
    public static func forAddedObject(id: UInt16, resourceIDs: [UInt16]) -> ObjectDefinition {
        guard var known = standard[id] else { return custom(id: id, resourceIDs: resourceIDs) }
        let fallback = custom(id: id, resourceIDs: resourceIDs)
        known.resources = Dictionary(uniqueKeysWithValues: resourceIDs.compactMap { rid in
            (known.resources[rid] ?? fallback.resources[rid]).map { (rid, $0) }
        })
        return known
    }
}

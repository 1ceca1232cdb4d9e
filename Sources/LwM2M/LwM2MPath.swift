/// A path into the LwM2M data model: `/`, `/3`, `/3/0`, `/3/0/1` or `/3/0/6/1`
/// (object / object instance / resource / resource instance, LwM2M 1.0 §6.1).
///
/// Contract: holds at most four ids, each 0...65534 (65535 is reserved by the spec as MAX_ID).
/// Paths sort by their ids, a prefix before its children, so `/3 < /3/0 < /3/0/1 < /4`.
public struct LwM2MPath: Hashable, Sendable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// The ids from the object down; empty for the root `/`.
    public let ids: [UInt16]

    /// How deep a path reaches.
    public enum Level: Int, Sendable, Comparable {
        case root = 0, object, instance, resource, resourceInstance
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public static let root = LwM2MPath(checked: [])

    /// The largest id a path may hold; 65535 is reserved.
    public static let maxID: UInt16 = 65534

    private init(checked ids: [UInt16]) { self.ids = ids }

    /// Nil when more than four ids or an id is 65535.
    public init?(ids: [UInt16]) {
        guard ids.count <= 4, !ids.contains(where: { $0 > LwM2MPath.maxID }) else { return nil }
        self.ids = ids
    }

    /// A path whose ids are known to be in range; out-of-range ids are clamped to `maxID`
    /// so that a caller's constant can never trap.
    public init(_ objectID: UInt16, _ instanceID: UInt16? = nil, _ resourceID: UInt16? = nil,
                _ resourceInstanceID: UInt16? = nil) {
        var ids = [objectID]
        if let instanceID {
            ids.append(instanceID)
            if let resourceID {
                ids.append(resourceID)
                if let resourceInstanceID { ids.append(resourceInstanceID) }
            }
        }
        self.ids = ids.map { min($0, LwM2MPath.maxID) }
    }

    /// Parses `/3/0/1`, `3/0/1` or `/` (a trailing slash is allowed). Nil on anything else.
    public init?(_ description: String) {
        if description == "/" || description.isEmpty { self.init(checked: []); return }
        var s = Substring(description)
        if s.hasPrefix("/") { s = s.dropFirst() }
        if s.hasSuffix("/") { s = s.dropLast() }
        guard !s.isEmpty else { return nil }
        self.init(segments: s.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    }

    /// From CoAP Uri-Path segments (`["3", "0", "1"]`); `[]` and `[""]` are the root.
    public init?(segments: [String]) {
        let segs = segments == [""] ? [] : segments
        var ids: [UInt16] = []
        for seg in segs {
            guard !seg.isEmpty, seg.count <= 5, seg.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let v = UInt16(seg) else { return nil }
            ids.append(v)
        }
        self.init(ids: ids)
    }

    public var objectID: UInt16? { ids.count > 0 ? ids[0] : nil }
    public var instanceID: UInt16? { ids.count > 1 ? ids[1] : nil }
    public var resourceID: UInt16? { ids.count > 2 ? ids[2] : nil }
    public var resourceInstanceID: UInt16? { ids.count > 3 ? ids[3] : nil }

    public var level: Level { Level(rawValue: ids.count) ?? .resourceInstance }
    public var isRoot: Bool { ids.isEmpty }

    /// CoAP Uri-Path segments.
    public var segments: [String] { ids.map(String.init) }

    /// One level up; the root's parent is the root.
    public var parent: LwM2MPath { LwM2MPath(checked: Array(ids.dropLast())) }

    /// One level down; nil below a resource instance or for an id of 65535.
    public func appending(_ id: UInt16) -> LwM2MPath? { LwM2MPath(ids: ids + [id]) }

    /// True when `self` is `other` or one of its ancestors.
    public func isPrefix(of other: LwM2MPath) -> Bool {
        ids.count <= other.ids.count && Array(other.ids.prefix(ids.count)) == ids
    }

    public var description: String { "/" + segments.joined(separator: "/") }

    public static func < (a: LwM2MPath, b: LwM2MPath) -> Bool { a.ids.lexicographicallyPrecedes(b.ids) }
}

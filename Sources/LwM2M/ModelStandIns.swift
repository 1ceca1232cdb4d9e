// TEMPORARY: minimal stand-ins for model types that branch `lwm2m-model` provides with the same
// names and shapes. This file is deleted when that branch is merged.

public struct LwM2MPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let ids: [UInt16]
    public static let root = LwM2MPath(ids: [])!
    public init?(ids: [UInt16]) {
        guard ids.count <= 4, !ids.contains(65535) else { return nil }
        self.ids = ids
    }
    public init(_ objectID: UInt16, _ instanceID: UInt16? = nil, _ resourceID: UInt16? = nil) {
        ids = [objectID] + [instanceID, resourceID].compactMap { $0 }
    }
    public init?(_ description: String) {
        self.init(segments: description.split(separator: "/").map(String.init))
    }
    public init?(segments: [String]) {
        var ids: [UInt16] = []
        for s in segments where !s.isEmpty {
            guard let v = UInt16(s) else { return nil }
            ids.append(v)
        }
        self.init(ids: ids)
    }
    public var objectID: UInt16? { ids.first }
    public var segments: [String] { ids.map(String.init) }
    public var description: String { "/" + segments.joined(separator: "/") }
    public func isPrefix(of other: LwM2MPath) -> Bool {
        ids.count <= other.ids.count && Array(other.ids.prefix(ids.count)) == ids
    }
    public static func < (a: LwM2MPath, b: LwM2MPath) -> Bool { a.ids.lexicographicallyPrecedes(b.ids) }
}

public struct ContentFormat: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public init?(coapValue: UInt32) {
        guard let v = UInt16(exactly: coapValue) else { return nil }
        rawValue = v
    }
    public static let textPlain = ContentFormat(0)
    public static let linkFormat = ContentFormat(40)
    public static let opaque = ContentFormat(42)
    public static let senmlJSON = ContentFormat(110)
    public static let tlv = ContentFormat(11542)
    public static let lwm2mJSON = ContentFormat(11543)
}

public struct EncodedContent: Hashable, Sendable {
    public var format: ContentFormat
    public var bytes: [UInt8]
    public init(format: ContentFormat, bytes: [UInt8]) { self.format = format; self.bytes = bytes }
}

public enum WriteMode: Hashable, Sendable { case replace, partialUpdate }

/// A payload with its content format: what a read produces and a write consumes.
public struct EncodedContent: Hashable, Sendable {
    public var format: ContentFormat
    public var bytes: [UInt8]

    public init(format: ContentFormat, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
    }
}

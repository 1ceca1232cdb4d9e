import CoAP

/// How an `LwM2MEndpointNode` cuts and reassembles bodies larger than one datagram (RFC 7959).
///
/// The default block is 512 bytes. A 512-byte block plus CoAP header, token and options (and
/// DTLS's record overhead when the link is secured) stays near 600 bytes, well under the
/// 1280-byte IPv6 minimum MTU that an NB-IoT bearer guarantees, so no block is fragmented at
/// the IP layer, and a block lost on a lossy radio link costs half a kilobyte to resend, not a
/// whole one. The module's largest single value (a 1024-byte string, or a 512-byte opaque,
/// wrapped in TLV) then takes two or three blocks. 1024 (RFC 7252's comfortable default)
/// would leave messages near 1100 bytes: fine on Ethernet, tight once DTLS and IPv6 headers
/// are added.
public struct BlockwiseConfiguration: Hashable, Sendable {
    /// Bytes per block, both directions: 16 to 1024, rounded down to a power of two. A peer
    /// that asks for smaller blocks (early negotiation, or a smaller size in its 2.31) gets them.
    public var blockSize: Int {
        // Assigning inside didSet does not call it again.
        didSet { blockSize = 16 << Int(BlockOption.szx(forSize: blockSize)) }
    }
    /// The largest body reassembled from blocks, either direction; larger ones are refused
    /// (4.13 towards a peer uploading, a failed operation when downloading).
    public var maximumBodySize: Int
    /// A half-done transfer, or a large response kept for the peer's next block requests, is
    /// dropped after this long without a block (RFC 7252's EXCHANGE_LIFETIME, 247 s).
    public var lifetime: Int64
    /// At most this many bodies are reassembled from peers at once.
    public var maximumIncomingTransfers: Int
    /// At most this many large responses are kept for block requests at once.
    public var maximumKeptResponses: Int
    /// At most this many Observe registrations are remembered to cut large notifications by.
    public var maximumObservers: Int

    public init(blockSize: Int = 512, maximumBodySize: Int = 64 * 1024, lifetime: Int64 = 247_000,
                maximumIncomingTransfers: Int = 8, maximumKeptResponses: Int = 16, maximumObservers: Int = 64) {
        self.blockSize = 16 << Int(BlockOption.szx(forSize: blockSize))
        self.maximumBodySize = maximumBodySize
        self.lifetime = lifetime
        self.maximumIncomingTransfers = maximumIncomingTransfers
        self.maximumKeptResponses = maximumKeptResponses
        self.maximumObservers = maximumObservers
    }

    /// The size exponent of `blockSize`.
    public var szx: UInt8 { BlockOption.szx(forSize: blockSize) }

    var senderConfiguration: Block2Sender.Configuration {
        var c = Block2Sender.Configuration()
        c.largestSzx = szx
        c.lifetime = lifetime
        c.maximumEntries = maximumKeptResponses
        return c
    }

    var receiverConfiguration: Block1Receiver.Configuration {
        var c = Block1Receiver.Configuration()
        c.largestSzx = szx
        c.lifetime = lifetime
        c.maximumBodySize = maximumBodySize
        c.maximumTransfers = maximumIncomingTransfers
        return c
    }
}

/// How a Confirmable message is retransmitted until its ACK or RST arrives (RFC 7252 §4.2).
///
/// Two kinds:
/// - `.module(ackTimeoutSeconds:maxRetransmissions:)`, the BC260Y-CN rule: deterministic, the
///   n-th wait is `ackTimeout × 2^(n-1)` (n = 1 is the wait after the first transmission), at most
///   `maxRetransmissions` retransmissions, then the exchange times out. With the module's
///   defaults (2 s, 5) transmissions go at 0, 2, 6, 14, 30, 62 s and the exchange fails at 126 s.
/// - `.rfc7252(random:)`: ACK_TIMEOUT 2 s, RANDOM_FACTOR 1.5, MAX_RETRANSMIT 4; the first wait is
///   drawn from [2 s, 3 s] with the seeded generator given, then doubles.
///
/// The policy is a value: each `schedule()` draws the timing of one new message (advancing the
/// generator for the randomized kind), so a run repeats exactly from its seed.
public struct RetransmissionPolicy: Hashable, Sendable, CustomStringConvertible {
    /// The base ACK timeout in milliseconds (the lower bound of the first wait).
    public let ackTimeout: Int64
    /// How far above `ackTimeout` the first wait may be drawn, in milliseconds; 0 when deterministic.
    public let randomSpread: Int64
    public let maxRetransmissions: Int
    private var random: SplitMix64?

    /// The ranges the module accepts for `AT+QLACFG="retransmit",<ack_timeout>,<retrans_max_times>`.
    public static let moduleAckTimeoutSeconds: ClosedRange<Int> = 2...20
    public static let moduleMaxRetransmissions: ClosedRange<Int> = 0...8

    /// The module's deterministic rule. Values outside the module's ranges are clamped into them;
    /// the AT layer validates with `moduleAckTimeoutSeconds` and `moduleMaxRetransmissions` first.
    public static func module(ackTimeoutSeconds: Int = 2, maxRetransmissions: Int = 5) -> RetransmissionPolicy {
        let seconds = min(max(ackTimeoutSeconds, moduleAckTimeoutSeconds.lowerBound), moduleAckTimeoutSeconds.upperBound)
        let retransmissions = min(max(maxRetransmissions, moduleMaxRetransmissions.lowerBound),
                                  moduleMaxRetransmissions.upperBound)
        return RetransmissionPolicy(ackTimeout: Int64(seconds) * 1000, randomSpread: 0,
                                    maxRetransmissions: retransmissions, random: nil)
    }

    /// RFC 7252 §4.8 defaults with the first wait drawn from `random`.
    public static func rfc7252(random: SplitMix64) -> RetransmissionPolicy {
        // ACK_TIMEOUT × RANDOM_FACTOR = 2 s × 1.5 = 3 s, so the spread is 1 s.
        RetransmissionPolicy(ackTimeout: 2000, randomSpread: 1000, maxRetransmissions: 4, random: random)
    }

    private init(ackTimeout: Int64, randomSpread: Int64, maxRetransmissions: Int, random: SplitMix64?) {
        self.ackTimeout = ackTimeout
        self.randomSpread = randomSpread
        self.maxRetransmissions = maxRetransmissions
        self.random = random
    }

    /// The timing of one new Confirmable message.
    public mutating func schedule() -> RetransmissionSchedule {
        var first = ackTimeout
        if randomSpread > 0, var rng = random {
            // Modulo keeps the draw a pure function of the generator's output; the bias over
            // 2^64 is far below a millisecond's worth.
            first += Int64(rng.next() % UInt64(randomSpread + 1))
            random = rng
        }
        return RetransmissionSchedule(firstWait: first, maxRetransmissions: maxRetransmissions)
    }

    public var description: String {
        randomSpread == 0
            ? "module(ack \(ackTimeout / 1000) s, \(maxRetransmissions) retransmissions)"
            : "rfc7252(ack \(ackTimeout) ms + up to \(randomSpread) ms, \(maxRetransmissions) retransmissions)"
    }
}

/// The timing of one Confirmable message: the wait after each transmission, doubling each time.
public struct RetransmissionSchedule: Hashable, Sendable {
    /// The wait after the first transmission, in milliseconds.
    public let firstWait: Int64
    public let maxRetransmissions: Int

    public init(firstWait: Int64, maxRetransmissions: Int) {
        self.firstWait = firstWait
        self.maxRetransmissions = maxRetransmissions
    }

    /// The wait after the n-th transmission (1-based): `firstWait × 2^(n-1)`. After the last
    /// allowed transmission (n = maxRetransmissions + 1) the wait ends the exchange.
    public func wait(afterTransmission n: Int) -> Int64 {
        firstWait << Int64(max(n, 1) - 1)
    }

    /// How many transmissions there are at most: the first and every retransmission.
    public var maxTransmissions: Int { maxRetransmissions + 1 }

    /// When each transmission goes out, in milliseconds after the first: 0, 2000, 6000, … .
    public var transmissionOffsets: [Int64] {
        var offsets: [Int64] = [0]
        for n in 1..<maxTransmissions { offsets.append(offsets[n - 1] + wait(afterTransmission: n)) }
        return offsets
    }

    /// When the exchange times out, in milliseconds after the first transmission.
    public var timeoutOffset: Int64 {
        (transmissionOffsets.last ?? 0) + wait(afterTransmission: maxTransmissions)
    }
}

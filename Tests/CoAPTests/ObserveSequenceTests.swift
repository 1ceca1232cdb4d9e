import Testing
@testable import CoAP

@Suite struct ObserveSequenceTests {
    @Test func keepsTwentyFourBitsAndWraps() {
        #expect(ObserveSequence(0x1234_5678).value == 0x34_5678)
        #expect(ObserveSequence(0xFF_FFFF).successor.value == 0)
        #expect(ObserveSequence(41).successor.value == 42)
        #expect(ObserveSequence(exactly: 0xFF_FFFF)?.value == 0xFF_FFFF)
        #expect(ObserveSequence(exactly: 0x100_0000) == nil)
    }

    /// RFC 7641 §3.4 with V1 = last accepted, V2 = new: fresh when V1 < V2 and V2-V1 < 2^23,
    /// or V1 > V2 and V1-V2 > 2^23. Each row is worked out by hand at the edges.
    @Test(arguments: [
        (UInt32(0), UInt32(1), true),                 // plain increase
        (1, 0, false),                                // plain decrease: reordered
        (5, 5, false),                                // duplicate is never fresher
        (0, 0x7F_FFFF, true),                         // V2-V1 = 2^23-1 < 2^23
        (0, 0x80_0000, false),                        // V2-V1 = 2^23, not < 2^23
        (0x80_0000, 0, false),                        // V1-V2 = 2^23, not > 2^23
        (0x80_0001, 0, true),                         // V1-V2 = 2^23+1 > 2^23: wrapped forward
        (0xFF_FFFF, 0, true),                         // wrap by one
        (0xFF_FFF0, 5, true),                         // wrap by 21
        (0, 0xFF_FFFF, false),                        // one behind across the wrap
        (10, 0x80_000A, false),                       // exactly half the space ahead
        (10, 0x80_0009, true),                        // one less than half ahead
    ])
    func freshnessByNumber(v1: UInt32, v2: UInt32, fresh: Bool) {
        #expect(ObserveSequence(v2).isFresher(than: ObserveSequence(v1)) == fresh)
    }

    /// §3.4's third clause: T2 > T1 + 128 s makes any number fresh; exactly 128 s is not enough.
    @Test func freshnessByTime() {
        let old = ObserveSequence(100), stale = ObserveSequence(50)
        let t1 = Instant.seconds(10)
        #expect(!stale.isFresher(than: old, receivedAt: t1, now: t1 + 127_999))
        #expect(!stale.isFresher(than: old, receivedAt: t1, now: t1 + 128_000))
        #expect(stale.isFresher(than: old, receivedAt: t1, now: t1 + 128_001))
        #expect(ObserveSequence(101).isFresher(than: old, receivedAt: t1, now: t1))
    }
}

import Testing
@testable import CoAP

/// Every way a datagram can fail to be a CoAP message (RFC 7252 §3, §4.1), each with its reason.
@Suite struct MessageMalformedTests {
    private func expectError(_ bytes: [UInt8], _ error: MessageDecodingError,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: error, sourceLocation: sourceLocation) { try Message(decoding: bytes) }
    }

    @Test(arguments: [[], [0x40], [0x40, 0x01], [0x40, 0x01, 0x00]] as [[UInt8]])
    func truncatedHeader(_ bytes: [UInt8]) {
        expectError(bytes, .truncatedHeader)
    }

    @Test(arguments: [(0x00 as UInt8, 0 as UInt8), (0x30, 0), (0x80, 2), (0xA5, 2), (0xC0, 3), (0xFF, 3)])
    func wrongVersion(_ first: UInt8, _ version: UInt8) {
        expectError([first, 0x01, 0x00, 0x01, 0xAA, 0xBB], .wrongVersion(version))
    }

    @Test(arguments: 9...15)
    func tokenLengthReserved(_ tkl: Int) {
        // Enough bytes follow for any token, so only the length itself is wrong.
        expectError([0x40 | UInt8(tkl), 0x01, 0x00, 0x01] + [UInt8](repeating: 0, count: 16), .tokenTooLong(tkl))
    }

    @Test func truncatedToken() {
        expectError([0x44, 0x01, 0x00, 0x01, 0xAA, 0xBB], .truncatedToken)
        expectError([0x48, 0x45, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7], .truncatedToken)
        expectError([0x41, 0x01, 0x00, 0x01], .truncatedToken)
    }

    /// 15 in a nibble is reserved unless the whole byte is the payload marker 0xFF.
    @Test(arguments: [0xF0, 0xF1, 0xFD, 0x0F, 0x1F, 0xDF, 0xEF] as [UInt8])
    func optionNibble15(_ head: UInt8) {
        expectError([0x40, 0x01, 0x00, 0x01, head, 0, 0, 0, 0], .reservedOptionNibble)
    }

    @Test func nibble15AfterAValidOption() {
        expectError([0x40, 0x01, 0x00, 0x01, 0xB1, 0x61, 0xF1, 0x00], .reservedOptionNibble)
    }

    @Test(arguments: [
        [0x05, 1, 2],             // length 5, 2 bytes present
        [0xD0],                   // extended delta byte missing
        [0xE0, 0x00],             // one of two extended delta bytes
        [0x0D],                   // extended length byte missing
        [0x0E, 0x01],             // one of two extended length bytes
        [0xDD, 0x00],             // delta byte present, length byte missing
        [0x0D, 0x00, 1, 2, 3],    // length 13, 3 bytes present
        [0x0E, 0x00, 0x00] + [UInt8](repeating: 7, count: 268), // length 269, one byte short
        [0xB1, 0x61, 0x01],       // second option's value missing
    ] as [[UInt8]])
    func truncatedOption(_ options: [UInt8]) {
        expectError([0x40, 0x01, 0x00, 0x01] + options, .truncatedOption)
    }

    @Test func optionNumberOverflow() {
        // One delta of 269 + 0xFFFF = 65804.
        expectError([0x40, 0x01, 0x00, 0x01, 0xE0, 0xFF, 0xFF], .optionNumberTooLarge)
        // 65535 reached exactly (valid), then one more.
        expectError([0x40, 0x01, 0x00, 0x01, 0xE0, 0xFE, 0xF2, 0x10], .optionNumberTooLarge)
        // Many medium deltas (0xD0 0xFF: 13 + 255 = 268, empty value) that add up past 65535:
        // 244 × 268 = 65392 is still valid, the 245th reaches 65660.
        let medium = (0..<244).flatMap { _ in [0xD0 as UInt8, 0xFF] }
        #expect(throws: Never.self) { try Message(decoding: [0x40, 0x01, 0x00, 0x01] + medium) }
        expectError([0x40, 0x01, 0x00, 0x01] + medium + [0xD0, 0xFF], .optionNumberTooLarge)
        // The largest number itself is fine.
        #expect(throws: Never.self) { try Message(decoding: [0x40, 0x01, 0x00, 0x01, 0xE0, 0xFE, 0xF2]) }
    }

    @Test func payloadMarkerWithoutPayload() {
        expectError([0x40, 0x01, 0x00, 0x01, 0xFF], .payloadMarkerWithoutPayload)
        expectError([0x41, 0x45, 0x00, 0x01, 0x99, 0xB1, 0x61, 0xFF], .payloadMarkerWithoutPayload)
    }

    @Test(arguments: [
        [0x41, 0x00, 0x00, 0x01, 0xAA],       // token
        [0x40, 0x00, 0x00, 0x01, 0xFF, 0x01], // payload
        [0x60, 0x00, 0x00, 0x01, 0xB1, 0x61], // option
        [0x70, 0x00, 0x00, 0x01, 0x00],       // one stray byte
    ] as [[UInt8]])
    func emptyMessageWithContent(_ bytes: [UInt8]) {
        expectError(bytes, .emptyMessageNotEmpty)
    }

    @Test func everyReasonHasADescription() {
        let all: [MessageDecodingError] = [.truncatedHeader, .wrongVersion(2), .tokenTooLong(9), .truncatedToken,
                                           .reservedOptionNibble, .truncatedOption, .optionNumberTooLarge,
                                           .payloadMarkerWithoutPayload, .emptyMessageNotEmpty]
        #expect(Set(all.map(\.description)).count == all.count)
    }

    /// Every prefix of a valid datagram either decodes (a shorter valid message) or fails with a
    /// reason; none traps. Prefixes that end inside a field fail with that field's reason.
    @Test func everyPrefixOfAValidMessage() throws {
        var m = Message(type: .confirmable, code: .post, messageID: 1, token: Token([1, 2, 3, 4])!,
                        payload: [1, 2, 3])
        m.uriPath = ["rd"]
        m.uriQuery = ["ep=" + String(repeating: "x", count: 300)]
        let bytes = m.encoded()
        for n in 0..<bytes.count {
            let prefix = Array(bytes[..<n])
            switch n {
            case 0..<4: expectError(prefix, .truncatedHeader)
            case 4..<8: expectError(prefix, .truncatedToken)
            default:
                if let decoded = try? Message(decoding: prefix) {
                    #expect(decoded.encoded() == prefix)
                }
            }
        }
        #expect(try Message(decoding: bytes) == m)
    }
}

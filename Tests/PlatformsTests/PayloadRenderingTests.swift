import LwM2M
import Testing
@testable import Platforms

@Suite struct PayloadRenderingTests {
    @Test func tlvOfADeviceInstanceBecomesPathValueLines() throws {
        let tree = ObjectTree(profile: ModuleProfile(imei: "867724030023557", serialNumber: "SN1"))
        let content = try tree.read(LwM2MPath(3, 0), accept: .tlv)
        let lines = PayloadRendering.lines(content.bytes, format: .tlv, at: LwM2MPath(3, 0))
        #expect(lines.contains("/3/0/0 = \"Quectel\""))
        #expect(lines.contains("/3/0/1 = \"BC260Y-CN\""))
        #expect(lines.contains("/3/0/3 = \"BC260YCNAAR01A02\""))
    }

    @Test func opaqueShowsHexAndText() {
        #expect(PayloadRendering.lines(Array("QUECTEL".utf8), format: .opaque, at: LwM2MPath(19, 0, 0))
            == ["/19/0/0 = 0x5155454354454C \"QUECTEL\""])
        #expect(PayloadRendering.hexAndText([0x02, 0x00, 0x01]) == "0x020001")
    }

    @Test func senmlSendIsDecodedWithAbsoluteNames() {
        let body = Array(#"[{"n":"/19/1/0","vs":"hello"},{"n":"/3/0/9","v":87}]"#.utf8)
        let lines = PayloadRendering.lines(body, format: .senmlJSON, at: .root)
        #expect(lines.count == 2)
        #expect(lines[1] == "/3/0/9 = 87")
        #expect(lines[0].hasPrefix("/19/1/0 = "))
    }

    @Test func garbageIsShownNotDropped() {
        let lines = PayloadRendering.lines([0xFF, 0x01], format: .tlv, at: LwM2MPath(3, 0))
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix("(undecodable"))
        #expect(lines[0].hasSuffix("0xFF01"))
    }
}

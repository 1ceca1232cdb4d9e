#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SerialPort {
    /// A line speed that termios can express, from 1200 to 921600 bit/s.
    ///
    /// Contract: only rates in `supported` exist; `init(_:)` rejects any other number with
    /// `SerialPortError.unsupportedBaudRate` rather than rounding to a neighbour, because a
    /// mismatched rate on a real line shows up as garbage, far from its cause.
    public struct BaudRate: Hashable, Sendable, CustomStringConvertible {
        public let bitsPerSecond: Int
        /// The termios `B…` constant.
        public let speed: speed_t

        private init(_ bitsPerSecond: Int, _ speed: Int32) {
            self.bitsPerSecond = bitsPerSecond
            self.speed = speed_t(speed)
        }

        /// The rate for `bitsPerSecond`, or `.unsupportedBaudRate`.
        public init(_ bitsPerSecond: Int) throws(SerialPortError) {
            guard let known = BaudRate.supported.first(where: { $0.bitsPerSecond == bitsPerSecond }) else {
                throw .unsupportedBaudRate(bitsPerSecond)
            }
            self = known
        }

        /// The rate a termios speed code stands for, nil for codes outside the table (B0, B50…).
        public init?(speed: speed_t) {
            guard let known = BaudRate.supported.first(where: { $0.speed == speed }) else { return nil }
            self = known
        }

        public var description: String { "\(bitsPerSecond)" }

        public static let b1200 = BaudRate(1200, B1200)
        public static let b2400 = BaudRate(2400, B2400)
        public static let b4800 = BaudRate(4800, B4800)
        public static let b9600 = BaudRate(9600, B9600)
        public static let b19200 = BaudRate(19200, B19200)
        public static let b38400 = BaudRate(38400, B38400)
        public static let b57600 = BaudRate(57600, B57600)
        public static let b115200 = BaudRate(115_200, B115200)
        public static let b230400 = BaudRate(230_400, B230400)
        public static let b460800 = BaudRate(460_800, B460800)
        public static let b921600 = BaudRate(921_600, B921600)

        /// Every rate this type accepts, slowest first.
        public static let supported: [BaudRate] = [
            b1200, b2400, b4800, b9600, b19200, b38400, b57600, b115200, b230400, b460800, b921600,
        ]
    }
}

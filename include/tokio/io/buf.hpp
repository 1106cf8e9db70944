// tokio layer: which containers the io helpers accept as buffers (Rust's `AsRef<[u8]>`
// and `AsMut<[u8]>`), and their byte views. There is no bytes crate yet: a buffer is any
// contiguous, sized range of one-byte elements (std::vector<uint8_t>, std::array,
// std::string, std::span<uint8_t>...).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <span>
#include <type_traits>

namespace tokio::io {

/// Rust's `T: AsRef<[u8]>`: a container whose bytes can be written out.
template <class T>
concept ByteBuf = std::ranges::contiguous_range<const T> && std::ranges::sized_range<const T> &&
                  sizeof(std::ranges::range_value_t<T>) == 1 &&
                  std::is_trivially_copyable_v<std::ranges::range_value_t<T>>;

/// Rust's `T: AsMut<[u8]>`: a container whose bytes can be read into.
template <class T>
concept ByteBufMut = ByteBuf<T> && std::ranges::contiguous_range<T> &&
                     !std::is_const_v<std::remove_reference_t<std::ranges::range_reference_t<T>>>;

namespace detail {

template <ByteBuf T>
std::span<const std::uint8_t> bytes_of(const T& buf) {
  return {reinterpret_cast<const std::uint8_t*>(std::ranges::data(buf)), std::ranges::size(buf)};
}

template <ByteBufMut T>
std::span<std::uint8_t> bytes_of_mut(T& buf) {
  return {reinterpret_cast<std::uint8_t*>(std::ranges::data(buf)), std::ranges::size(buf)};
}

}  // namespace detail
}  // namespace tokio::io

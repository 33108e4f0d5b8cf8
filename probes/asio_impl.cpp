// The one translation unit that compiles Asio and Asio.SSL (BOOST_ASIO_SEPARATE_COMPILATION):
// every other file sees declarations only, which keeps 2-core builds short.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>

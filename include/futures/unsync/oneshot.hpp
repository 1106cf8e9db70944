// futures layer: unsync::oneshot (to be written).
#pragma once

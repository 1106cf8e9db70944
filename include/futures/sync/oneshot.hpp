// futures layer: sync::oneshot (to be written).
#pragma once

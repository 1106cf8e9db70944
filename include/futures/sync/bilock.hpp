// futures layer: sync::BiLock (to be written).
#pragma once
